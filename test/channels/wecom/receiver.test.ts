import request from 'supertest';
import { ManualClock } from '../../../src/lib/clock';
import type { ChatEvent } from '../../../src/channels/types';
import {
  callbackPath,
  cardClickCallback,
  enterCallback,
  sealCallback,
  sign,
  testWecomSettings,
  textCallback,
} from '../../helpers/wecom-callback';
import { wecomTestApp } from './wecom-test-app';

const settings = testWecomSettings();

// WeCom's own sample vectors (weworkapi_python Sample.py), see PLATFORMS.md.
const GET_VECTOR = {
  msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
  timestamp: '1476416373',
  nonce: '47744683',
  echostr:
    'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
};
const POST_VECTOR = {
  query: {
    msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e',
    timestamp: '1476422779',
    nonce: '1597212914',
  },
  encrypt:
    'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
};

function post(
  app: ReturnType<typeof wecomTestApp>,
  cb: { query: Record<string, string>; body: string },
) {
  return request(app.callback)
    .post(callbackPath(cb.query))
    .set('content-type', 'text/xml')
    .send(cb.body);
}

describe('GET /wecom/callback (URL verification)', () => {
  const app = wecomTestApp(settings, { clock: new ManualClock(new Date(1476416373 * 1000)) });

  it("answers the decrypted echostr of WeCom's vector, and nothing else", async () => {
    const res = await request(app.callback).get(callbackPath(GET_VECTOR));
    expect(res.status).toBe(200);
    expect(res.text).toBe('1288432023552776189');
  });

  it('keeps a literal + in echostr (decoded once, never as a space)', async () => {
    const raw = Object.entries(GET_VECTOR)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const res = await request(app.callback).get(`/wecom/callback?${raw}`);
    expect(res.text).toBe('1288432023552776189');
  });

  it('refuses a forged signature', async () => {
    const forged = { ...GET_VECTOR, msg_signature: '0'.repeat(40) };
    const res = await request(app.callback).get(callbackPath(forged));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'bad_signature' });
  });

  it('refuses a stale timestamp', async () => {
    const now = wecomTestApp(settings); // the real clock: 2016 is long gone
    expect((await request(now.callback).get(callbackPath(GET_VECTOR))).status).toBe(401);
  });
});

describe('POST /wecom/callback', () => {
  it("decrypts WeCom's vector into a text event and answers 200 with an empty body", async () => {
    const app = wecomTestApp(settings, { clock: new ManualClock(new Date(1476422779 * 1000)) });
    const body = `<xml><ToUserName><![CDATA[${settings.corpId}]]></ToUserName><Encrypt><![CDATA[${POST_VECTOR.encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`;
    const res = await post(app, { query: POST_VECTOR.query, body });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(app.events).toEqual<ChatEvent[]>([
      {
        id: 'wecom:msg:1456453720',
        platform: 'wecom',
        userId: 'ChenJiaShun',
        at: new Date(1476422779 * 1000),
        kind: 'text',
        text: '你好',
      },
    ]);
  });

  it('trims text and keeps a MsgId beyond 2^53 exact', async () => {
    const app = wecomTestApp(settings);
    const cb = textCallback(settings, {
      from: 'zhangsan',
      content: '  8 \n',
      msgId: '7390123456789012345678',
    });
    expect((await post(app, cb)).status).toBe(200);
    expect(app.events[0]).toMatchObject({ id: 'wecom:msg:7390123456789012345678', text: '8' });
  });

  it('parses a vote card submit into selections and an update token', async () => {
    const app = wecomTestApp(settings);
    const click = { from: 'lisi', taskId: 'card-42', eventKey: 'submit', questionKey: 'c3' };
    const cb = cardClickCallback(settings, { ...click, optionIds: ['7'], responseCode: 'RC123' });
    expect((await post(app, cb)).status).toBe(200);
    expect(app.events[0]).toMatchObject({
      kind: 'action',
      userId: 'lisi',
      action: { cardId: 'card-42', key: 'submit', selections: { c3: ['7'] }, updateToken: 'RC123' },
    });
    expect(app.events[0]?.id).toMatch(/^wecom:evt:[0-9a-f]{32}$/);
  });

  it('gives a redelivery the same id and a tap on another card in the same second another', async () => {
    const app = wecomTestApp(settings);
    const click = {
      from: 'lisi',
      eventKey: 'submit',
      questionKey: 'q',
      optionIds: ['1'],
      responseCode: 'r',
      createTime: 1700000000,
    };
    const first = cardClickCallback(settings, { ...click, taskId: 'card-1' });
    await post(app, first);
    await post(app, first);
    await post(app, cardClickCallback(settings, { ...click, taskId: 'card-2' }));
    const [a, b, c] = app.events.map((e) => e.id);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('turns enter_agent into an enter event and acknowledges other kinds without one', async () => {
    const app = wecomTestApp(settings);
    expect((await post(app, enterCallback(settings, { from: 'wangwu' }))).status).toBe(200);
    const image = `<xml><ToUserName>x</ToUserName><FromUserName>wangwu</FromUserName><CreateTime>1700000000</CreateTime><MsgType>image</MsgType><PicUrl>http://x</PicUrl><MsgId>5</MsgId></xml>`;
    const res = await post(app, sealCallback(settings, image));
    expect(res.status).toBe(200);
    expect(app.events.map((e) => e.kind)).toEqual(['enter']);
  });

  it('answers 500 (so WeCom delivers again) when the event cannot be stored', async () => {
    const app = wecomTestApp(settings, {
      onEvent: async () => Promise.reject(new Error('db down')),
    });
    const res = await post(app, textCallback(settings, { from: 'a', content: 'x', msgId: '1' }));
    expect(res.status).toBe(500);
  });
});

describe('POST /wecom/callback refusals', () => {
  const good = () => textCallback(settings, { from: 'zhangsan', content: '/help', msgId: '99' });
  type Cb = ReturnType<typeof good>;
  const tamper = (change: (cb: Cb) => Cb) => () => change(good());
  const bomb = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>`;
  const cases: [string, () => { query: Record<string, string>; body: string }, number][] = [
    [
      'a forged signature',
      tamper((cb) => ({ ...cb, query: { ...cb.query, msg_signature: 'f'.repeat(40) } })),
      401,
    ],
    [
      'a signature over other content',
      tamper((cb) => ({
        ...cb,
        body: cb.body.replace('<Encrypt><![CDATA[', '<Encrypt><![CDATA[AAAA'),
      })),
      401,
    ],
    [
      'a wrong corp id',
      () =>
        textCallback(
          settings,
          { from: 'a', content: 'b', msgId: '1' },
          { receiveId: 'wwOTHERCORP00000001' },
        ),
      401,
    ],
    [
      'a stale timestamp',
      () =>
        textCallback(settings, { from: 'a', content: 'b', msgId: '1' }, { timestamp: 1476422779 }),
      401,
    ],
    [
      'a missing signature',
      tamper((cb) => ({ ...cb, query: { ...cb.query, msg_signature: '' } })),
      401,
    ],
    [
      'an envelope without Encrypt',
      tamper((cb) => ({ ...cb, body: '<xml><ToUserName>x</ToUserName></xml>' })),
      400,
    ],
    [
      'a broken envelope',
      tamper((cb) => ({ ...cb, body: cb.body.replace('</xml>', '<AgentID>') })),
      400,
    ],
    [
      'broken inner XML',
      () => sealCallback(settings, '<xml><FromUserName>a</FromUserName><MsgType>text'),
      400,
    ],
    [
      'an entity bomb in the envelope',
      tamper((cb) => ({ ...cb, body: `${bomb}${cb.body.replace('<xml>', '<xml>&c;')}` })),
      400,
    ],
    [
      'an entity bomb inside the encrypted message',
      () => sealCallback(settings, `${bomb}<xml><Content>&c;</Content></xml>`),
      400,
    ],
    ['an undecryptable Encrypt', () => signedEncrypt('AAAA'), 400],
    ['an oversized body', tamper((cb) => ({ ...cb, body: cb.body + ' '.repeat(70 * 1024) })), 413],
  ];

  it.each(cases)('refuses %s and hands nothing to the bot', async (_name, build, status) => {
    const app = wecomTestApp(settings);
    const res = await post(app, build());
    expect(res.status).toBe(status);
    expect(app.events).toEqual([]);
  });
});

function signedEncrypt(encrypted: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const query = {
    msg_signature: sign(settings.token, timestamp, '7', encrypted),
    timestamp,
    nonce: '7',
  };
  return { query, body: `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` };
}
