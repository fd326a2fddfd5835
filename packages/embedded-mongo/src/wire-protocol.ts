/**
 * MongoDB wire-protocol framing: split a TCP byte stream into messages, read
 * OP_QUERY (only the legacy handshake uses it) and OP_MSG, and encode
 * OP_REPLY and OP_MSG replies. All integers are little-endian.
 */
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const HEADER_SIZE = 16;
const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

/** Keep numbers as JS numbers (mingo's operators expect them) and regexes as RegExp. */
export const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, bsonRegExp: false };

export interface WireMessage {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** The bytes after the 16-byte header. */
  body: Buffer;
}

export interface OpMsgRequest {
  command: Document;
  moreToCome: boolean;
}

export interface OpQueryRequest {
  namespace: string;
  query: Document;
}

/** Thrown for bytes that cannot be a message; the connection is then closed. */
export class ProtocolError extends Error {}

/** Accumulates socket chunks and yields whole messages; one chunk may hold part of one or several. */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxMessageSize: number) {}

  /** Adds a chunk and returns every message now complete. Throws ProtocolError on a bad length. */
  push(chunk: Buffer): WireMessage[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: WireMessage[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_SIZE || length > this.maxMessageSize) {
        throw new ProtocolError(`invalid message length ${length}`);
      }
      if (this.buffered < length) break;
      // Concatenate only once a whole message is here, so a large message costs one copy.
      const all =
        this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      messages.push(readHeader(all.subarray(0, length)));
    }
    return messages;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    const merged = Buffer.concat(this.chunks);
    this.chunks = [merged];
    return merged.readInt32LE(0);
  }
}

function readHeader(message: Buffer): WireMessage {
  return {
    requestId: message.readInt32LE(4),
    responseTo: message.readInt32LE(8),
    opCode: message.readInt32LE(12),
    body: message.subarray(HEADER_SIZE),
  };
}

/** Decodes OP_MSG: the kind-0 body, with kind-1 document sequences merged in under their identifiers. */
export function parseOpMsg(body: Buffer): OpMsgRequest {
  const flags = body.readUInt32LE(0);
  const end = flags & CHECKSUM_PRESENT ? body.length - 4 : body.length;
  let offset = 4;
  let command: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = body.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const size = documentSize(body, offset, end);
      command = deserialize(body.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
      offset += size;
    } else if (kind === 1) {
      const size = body.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('bad document sequence size');
      const nameEnd = body.indexOf(0, offset + 4);
      if (nameEnd < 0 || nameEnd >= sectionEnd) throw new ProtocolError('bad sequence identifier');
      const identifier = body.toString('utf8', offset + 4, nameEnd);
      const documents = (sequences[identifier] ??= []);
      for (let at = nameEnd + 1; at < sectionEnd;) {
        const docSize = documentSize(body, at, sectionEnd);
        documents.push(deserialize(body.subarray(at, at + docSize), DESERIALIZE_OPTIONS));
        at += docSize;
      }
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new ProtocolError('OP_MSG without a body section');
  return { command: { ...command, ...sequences }, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

/** Decodes OP_QUERY: flags, cstring namespace, skip, return count, query document. */
export function parseOpQuery(body: Buffer): OpQueryRequest {
  const nameEnd = body.indexOf(0, 4);
  if (nameEnd < 0) throw new ProtocolError('OP_QUERY without a namespace');
  const namespace = body.toString('utf8', 4, nameEnd);
  const start = nameEnd + 1 + 8;
  const size = documentSize(body, start, body.length);
  const query = deserialize(body.subarray(start, start + size), DESERIALIZE_OPTIONS);
  return { namespace, query };
}

function documentSize(buffer: Buffer, offset: number, end: number): number {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`bad BSON document size ${size}`);
  return size;
}

/** An OP_MSG reply: flags 0 and one kind-0 section. */
export function encodeOpMsg(requestId: number, responseTo: number, reply: Document): Buffer {
  const document = serialize(reply);
  const header = Buffer.alloc(HEADER_SIZE + 5);
  writeHeader(header, header.length + document.length, requestId, responseTo, OP_MSG);
  header.writeUInt32LE(0, HEADER_SIZE);
  header.writeUInt8(0, HEADER_SIZE + 4);
  return Buffer.concat([header, document]);
}

/** An OP_REPLY, for the legacy OP_QUERY handshake: one document, cursor id 0. */
export function encodeOpReply(requestId: number, responseTo: number, reply: Document): Buffer {
  const document = serialize(reply);
  const header = Buffer.alloc(HEADER_SIZE + 20);
  writeHeader(header, header.length + document.length, requestId, responseTo, OP_REPLY);
  header.writeInt32LE(0, 16); // responseFlags
  header.writeBigInt64LE(0n, 20); // cursorID
  header.writeInt32LE(0, 28); // startingFrom
  header.writeInt32LE(1, 32); // numberReturned
  return Buffer.concat([header, document]);
}

function writeHeader(
  buffer: Buffer,
  length: number,
  requestId: number,
  responseTo: number,
  opCode: number,
): void {
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}
