import { serialize } from 'bson';
import { MessageFramer, parseOpMsg, ProtocolError } from '../src/wire-protocol';

function message(requestId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, payload]);
}

test('reassembles messages split across chunks and separates several in one chunk', () => {
  const framer = new MessageFramer(1024);
  const a = message(1, Buffer.from('first message'));
  const b = message(2, Buffer.from('second'));
  const c = message(3, Buffer.alloc(0));
  const stream = Buffer.concat([a, b, c]);
  const cuts = [0, 2, 3, 20, 40, stream.length];
  const received: number[] = [];
  for (let i = 1; i < cuts.length; i += 1) {
    for (const m of framer.push(stream.subarray(cuts[i - 1], cuts[i]))) received.push(m.requestId);
  }
  expect(received).toEqual([1, 2, 3]);
  expect(framer.push(Buffer.alloc(0))).toEqual([]);
});

test('rejects lengths that cannot be a message', () => {
  const tooLong = Buffer.alloc(4);
  tooLong.writeInt32LE(2048, 0);
  expect(() => new MessageFramer(1024).push(tooLong)).toThrow(ProtocolError);
  const tooShort = Buffer.alloc(4);
  tooShort.writeInt32LE(8, 0);
  expect(() => new MessageFramer(1024).push(tooShort)).toThrow(ProtocolError);
});

test('merges kind-1 sections into the command and honours the checksum flag', () => {
  const body = Buffer.from(serialize({ insert: 'c', $db: 'd' }));
  const identifier = Buffer.from('documents\0');
  const docs = [serialize({ a: 1 }), serialize({ a: 2 })].map((d) => Buffer.from(d));
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + identifier.length + docs[0]!.length + docs[1]!.length, 0);
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(3, 0);
  const payload = Buffer.concat([
    flags,
    Buffer.from([0]),
    body,
    Buffer.from([1]),
    size,
    identifier,
    ...docs,
    Buffer.alloc(4),
  ]);
  const parsed = parseOpMsg(payload);
  expect(parsed.moreToCome).toBe(true);
  expect(parsed.command).toEqual({ insert: 'c', $db: 'd', documents: [{ a: 1 }, { a: 2 }] });
  expect(Object.keys(parsed.command)[0]).toBe('insert');
});
