import { decodeRouteStep, encodeRouteStep, splitStepKey } from '../../src/bot/step-route';

describe('routes carried on the keys of a card replaced in place', () => {
  const route = {
    flow: 'form',
    data: { month: '2024-05', role: 'self', target: 'lina', criterionNo: 3 },
  };

  it('a step decodes to the route it was encoded from', () => {
    const step = encodeRouteStep(route)!;
    expect(step).toMatch(/^R[A-Za-z0-9_-]+$/); // characters platform keys accept
    expect(decodeRouteStep(step)).toEqual(route);
    expect(splitStepKey(`score~${step}`)).toEqual({ key: 'score', step });
  });

  it('an older stored step id, or a key without a step, decodes to nothing', () => {
    expect(decodeRouteStep('3f2a01bc9d')).toBeUndefined();
    expect(decodeRouteStep('Rnot-json')).toBeUndefined();
    expect(decodeRouteStep(`R${Buffer.from('[1,{}]').toString('base64url')}`)).toBeUndefined();
    expect(splitStepKey('score')).toEqual({ key: 'score' });
  });

  it('a route too long for a key is not encoded (it is stored with the card instead)', () => {
    expect(encodeRouteStep({ flow: 'form', data: { text: 'x'.repeat(400) } })).toBeNull();
  });
});
