/**
 * Applies one update (operators, a replacement document, or an aggregation
 * pipeline) to a copy of a stored document, and builds upserted documents.
 * The stored original is never touched: the caller swaps the copy in only
 * if every unique index still holds.
 */
import { ObjectId, type Document } from 'bson';
import { aggregate, update as mingoUpdate } from 'mingo';
import { CommandError } from './command-error';
import { cloneValue, isPlainObject, keyString, setPath, valueAtPath } from './document-values';
import { applyAddToSet, checkArrayTargets } from './array-updates';
import { applySimpleUpdate } from './simple-update';
import { checkConflictingPaths } from './update-conflicts';

export interface UpdateOptions {
  filter?: Document;
  arrayFilters?: Document[];
}

/** The updated copy of `current`; throws on invalid updates or an attempt to change _id. */
export function applyUpdate(current: Document, update: unknown, options: UpdateOptions): Document {
  const next = transform(cloneValue(current), update, options, false);
  if (keyString(next._id) !== keyString(current._id)) {
    throw new CommandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return next;
}

/** The document an upsert inserts: the filter's equality fields, then the update (with $setOnInsert). */
export function buildUpsert(filter: Document, update: unknown, options: UpdateOptions): Document {
  const seed: Document = {};
  for (const [path, value] of Object.entries(equalityFields(filter))) setPath(seed, path, value);
  return withIdFirst(transform(seed, update, { arrayFilters: options.arrayFilters }, true));
}

/** Puts _id first (generating an ObjectId when missing), as mongod stores documents. */
export function withIdFirst(document: Document): Document {
  const { _id, ...rest } = document;
  if (Array.isArray(_id)) throw new CommandError('BadValue', "can't use an array for _id");
  return { _id: _id === undefined ? new ObjectId() : _id, ...rest };
}

function transform(copy: Document, update: unknown, options: UpdateOptions, inserting: boolean) {
  if (Array.isArray(update)) return runPipeline(copy, update as Document[]);
  if (!isPlainObject(update)) throw new CommandError('FailedToParse', 'update must be an object');
  if (isReplacement(update)) {
    // A replacement keeps the current _id; naming a different one is caught by applyUpdate.
    // An explicit `_id: null` is kept, as mongod stores it.
    const { _id, ...fields } = update;
    return { _id: '_id' in update ? _id : copy._id, ...fields };
  }
  checkConflictingPaths(update);
  const requested = operatorsFor(update, inserting);
  if (Object.keys(requested).length === 0) return copy;
  checkNumericOperands(copy, requested);
  if (applySimpleUpdate(copy, requested)) return copy;
  checkArrayTargets(copy, requested);
  const modifier = applyAddToSet(copy, requested);
  if (Object.keys(modifier).length === 0) return copy;
  prepareMissingArrays(copy, modifier);
  // The filter only matters for positional `a.$` paths, and compiling it costs time.
  const condition = !inserting && usesPositional(modifier) ? options.filter : undefined;
  try {
    mingoUpdate(copy, modifier, options.arrayFilters, condition);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = /unknown update operator/i.test(message) ? 'FailedToParse' : 'BadValue';
    throw new CommandError(code, message);
  }
  return copy;
}

/** True for a replacement document (no top-level `$` operators), as opposed to an operator update. */
export function isReplacement(update: unknown): update is Document {
  return isPlainObject(update) && !Object.keys(update).some((key) => key.startsWith('$'));
}

function runPipeline(copy: Document, pipeline: Document[]): Document {
  const [result] = aggregate([copy], pipeline);
  if (!isPlainObject(result)) {
    throw new CommandError('BadValue', 'update pipeline removed the document');
  }
  return { _id: copy._id, ...result };
}

/** $setOnInsert only applies when inserting; mingo lacks it, so it becomes $set then. */
function operatorsFor(update: Document, inserting: boolean): Document {
  const { $setOnInsert, ...modifier } = update;
  if (!inserting || !isPlainObject($setOnInsert)) return modifier;
  return { ...modifier, $set: { ...(modifier.$set as Document | undefined), ...$setOnInsert } };
}

/** mingo silently ignores $inc on a string; mongod refuses, and so must we. */
function checkNumericOperands(copy: Document, modifier: Document): void {
  for (const operator of ['$inc', '$mul']) {
    const fields = modifier[operator];
    if (!isPlainObject(fields)) continue;
    for (const [path, operand] of Object.entries(fields)) {
      if (!isNumeric(operand)) {
        throw new CommandError(
          'TypeMismatch',
          `Cannot ${operator.slice(1)} with non-numeric argument`,
        );
      }
      const value = path.includes('$') ? undefined : valueAtPath(copy, path);
      if (value !== undefined && !isNumeric(value)) {
        throw new CommandError(
          'TypeMismatch',
          `Cannot apply ${operator} to a value of non-numeric type. ` +
            `The field '${path}' has a non-numeric value`,
        );
      }
    }
  }
}

/** mingo drops $slice/$sort/$position when $push creates the array, so create it first. */
function prepareMissingArrays(copy: Document, modifier: Document): void {
  const fields = modifier.$push;
  if (!isPlainObject(fields)) return;
  for (const [path, spec] of Object.entries(fields)) {
    if (path.includes('$') || !isPlainObject(spec) || !('$each' in spec)) continue;
    if (valueAtPath(copy, path) === undefined) setPath(copy, path, []);
  }
}

function usesPositional(modifier: Document): boolean {
  return Object.values(modifier).some(
    (fields) =>
      isPlainObject(fields) && Object.keys(fields).some((path) => path.split('.').includes('$')),
  );
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Field paths the filter pins to one value (`{a: 1}`, `{a: {$eq: 1}}`, inside `$and`). */
function equalityFields(filter: Document): Document {
  const fields: Document = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      for (const clause of condition) {
        if (isPlainObject(clause)) Object.assign(fields, equalityFields(clause));
      }
    } else if (key.startsWith('$') || condition instanceof RegExp) {
      continue;
    } else if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) {
      if ('$eq' in condition) fields[key] = cloneValue(condition.$eq);
    } else {
      fields[key] = cloneValue(condition);
    }
  }
  return fields;
}
