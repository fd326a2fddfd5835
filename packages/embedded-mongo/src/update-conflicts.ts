/**
 * mongod refuses an update whose operators touch the same path, or a path
 * and its prefix (`a` and `a.b`), with error 40 ConflictingUpdateOperators.
 * That holds for every operator pair, $setOnInsert included, and whether the
 * update inserts or not: checking it here keeps code that passes on the
 * embedded server from failing on MongoDB.
 */
import type { Document } from 'bson';
import { CommandError } from './command-error';
import { isPlainObject } from './document-values';

/** Throws ConflictingUpdateOperators when two operator paths overlap. */
export function checkConflictingPaths(update: Document): void {
  const seen: string[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (!operator.startsWith('$') || !isPlainObject(fields)) continue;
    for (const path of Object.keys(fields)) {
      const paths = operator === '$rename' ? [path, String(fields[path])] : [path];
      for (const candidate of paths) {
        const clash = seen.find((other) => overlaps(other, candidate));
        if (clash !== undefined) {
          throw new CommandError(
            'ConflictingUpdateOperators',
            `Updating the path '${candidate}' would create a conflict at '${conflictAt(clash, candidate)}'`,
          );
        }
        seen.push(candidate);
      }
    }
  }
}

function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** mongod names the shorter of the two paths as the conflict point. */
function conflictAt(a: string, b: string): string {
  return a.length <= b.length ? a : b;
}
