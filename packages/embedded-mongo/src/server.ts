/** The TCP listener: accepts clients, tracks their sockets, and closes them all on stop. */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { serveConnection } from './connection';
import type { CommandDispatcher } from './dispatch';

export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private lastConnectionId = 0;

  constructor(dispatch: CommandDispatcher) {
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.lastConnectionId += 1;
      serveConnection(socket, dispatch, this.lastConnectionId);
    });
  }

  /** Starts listening; resolves with the bound port (useful when 0 asked for any free port). */
  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, drops every client socket, and resolves once the listener is closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
  }
}
