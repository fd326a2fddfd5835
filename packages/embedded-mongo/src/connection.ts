/**
 * One client socket: frames incoming bytes, runs each command and writes the
 * reply in order. Anything that is not a well-formed message closes this
 * socket only; the server and its other clients carry on.
 */
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { MAX_MESSAGE_SIZE_BYTES } from './admin-commands';
import type { CommandDispatcher } from './dispatch';
import {
  encodeOpMsg,
  encodeOpReply,
  MessageFramer,
  OP_MSG,
  OP_QUERY,
  parseOpMsg,
  parseOpQuery,
  type WireMessage,
} from './wire-protocol';

let nextResponseId = 1;

/** Serves the wire protocol on an accepted socket until it closes. */
export function serveConnection(
  socket: Socket,
  dispatch: CommandDispatcher,
  connectionId: number,
): void {
  const framer = new MessageFramer(MAX_MESSAGE_SIZE_BYTES);
  socket.setNoDelay(true);
  // A client that resets its connection is routine, not a server failure.
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const message of framer.push(chunk)) {
        const reply = answer(message, dispatch, connectionId);
        if (reply && socket.writable) socket.write(reply);
      }
    } catch {
      socket.destroy();
    }
  });
}

function answer(message: WireMessage, dispatch: CommandDispatcher, connectionId: number) {
  const responseId = nextResponseId++ & 0x7fffffff;
  if (message.opCode === OP_MSG) {
    const { command, moreToCome } = parseOpMsg(message.body);
    const database = typeof command.$db === 'string' ? command.$db : 'admin';
    const reply = dispatch(database, command, connectionId);
    // moreToCome (endSessions, w:0 writes) means the client expects no answer.
    return moreToCome ? undefined : encodeOpMsg(responseId, message.requestId, reply);
  }
  if (message.opCode === OP_QUERY) {
    const { namespace, query } = parseOpQuery(message.body);
    const database = namespace.split('.')[0] ?? 'admin';
    const command = (query.$query ?? query) as Document;
    return encodeOpReply(responseId, message.requestId, dispatch(database, command, connectionId));
  }
  throw new Error(`unsupported opCode ${message.opCode}`);
}
