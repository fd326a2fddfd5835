/** The strict opening of WeCom's sealed payloads: anything not shaped exactly as WeCom seals it throws. */
import { randomBytes } from 'node:crypto';
import { encrypt } from '@wecom/crypto';
import { openSealed } from '../../../src/channels/wecom/open-sealed';
import { sealRaw } from '../../helpers/wecom-forgery';
import { testWecomSettings } from '../../helpers/wecom-callback';

const settings = testWecomSettings();
const KEY = settings.encodingAesKey;

describe('openSealed', () => {
  it("opens WeCom's sample echostr and what @wecom/crypto seals", () => {
    const echostr =
      'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
    expect(openSealed(KEY, echostr)).toEqual({
      message: '1288432023552776189',
      id: settings.corpId,
    });
    expect(openSealed(KEY, encrypt(KEY, '<xml>你好</xml>', 'corp'))).toEqual({
      message: '<xml>你好</xml>',
      id: 'corp',
    });
    expect(openSealed(KEY, sealRaw(settings, { message: 'hello' })).message).toBe('hello');
  });

  it.each([
    ['a length that is not whole 32-byte blocks', randomBytes(40).toString('base64')],
    ['16 bytes only', randomBytes(16).toString('base64')],
    ['nothing', ''],
    ['text that is not base64', 'not base64!'],
    [
      'a zero pad byte',
      sealRaw(settings, { message: 'x', pad: (n) => Buffer.alloc(32 - (n % 32), 0) }),
    ],
    [
      'pad bytes that disagree',
      sealRaw(settings, {
        message: 'x',
        pad: (n) => Buffer.concat([Buffer.alloc(31 - (n % 32), 1), Buffer.from([32 - (n % 32)])]),
      }),
    ],
    ['a length field past the end', sealRaw(settings, { message: 'x', lengthField: 5000 })],
    [
      'a message that is not UTF-8',
      sealRaw(settings, { message: Buffer.from([0x3c, 0xff, 0xfe]) }),
    ],
  ])('refuses %s', (_name, encrypted) => {
    expect(() => openSealed(KEY, encrypted)).toThrow();
  });

  it('takes a whole block of padding when the plaintext fills its blocks', () => {
    // 16 random + 4 length + 26 + 18 (corp id) = 64 bytes: WeCom pads 32 bytes of 32.
    const message = 'x'.repeat(64 - 20 - settings.corpId.length);
    expect(openSealed(KEY, sealRaw(settings, { message }))).toEqual({
      message,
      id: settings.corpId,
    });
  });
});
