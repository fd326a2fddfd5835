import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The embedded database's data folder belongs to one process at a time. The
 * owner leaves a file naming its pid and address, so that a second process
 * (the roster tool) can go through the running bot's server instead of
 * opening the same snapshot file and overwriting it.
 */
export interface EmbeddedOwner {
  pid: number;
  uri: string;
}

const FILE = 'embedded.owner.json';

/** The live owner of `dataDir`, if any; a file left by a dead process is ignored. */
export function readOwner(dataDir: string): EmbeddedOwner | null {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return null;
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedOwner;
    process.kill(owner.pid, 0);
    return isZombie(owner.pid) ? null : owner;
  } catch {
    return null;
  }
}

/** Claims `dataDir` for this process. */
export function claimOwner(dataDir: string, uri: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, FILE), JSON.stringify({ pid: process.pid, uri }));
}

/** Gives `dataDir` up, if this process holds it. */
export function releaseOwner(dataDir: string): void {
  const owner = readOwner(dataDir);
  if (owner?.pid === process.pid) rmSync(path.join(dataDir, FILE), { force: true });
}

// A killed owner whose parent has not reaped it yet (no init in a container does)
// still answers kill(pid, 0), but it is dead: Linux shows it in state Z.
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
