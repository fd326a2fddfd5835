import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/logger';

describe('logger', () => {
  it('writes one JSON line per entry and never secrets or message bodies', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ destination }).child({
      event: 'wecom:msg:1',
      platform: 'wecom',
      user: 'zhangwei',
    });
    log.info(
      {
        token: 'tok-123',
        secret: 's3cr3t',
        content: '我的自评 9 分',
        settings: { encodingAesKey: 'k'.repeat(43) },
      },
      'callback',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      event: 'wecom:msg:1',
      platform: 'wecom',
      user: 'zhangwei',
      msg: 'callback',
    });
    expect(entry.token).toBe('[redacted]');
    expect(entry.secret).toBe('[redacted]');
    expect(entry.content).toBe('[redacted]');
    expect(lines[0]).not.toContain('tok-123');
    expect(lines[0]).not.toContain('我的自评');
    expect(lines[0]).not.toContain('kkkkkkkk');
  });
});
