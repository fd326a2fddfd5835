/**
 * `$project` of plain inclusions (`{a: 1, 'b.c': true, _id: 0}`), run here
 * the way mongod runs it instead of through mingo, whose projection deep-copies
 * every document (the report's join projected 10,000 of them): a new top
 * level holding the included values of the input, which is never written.
 *
 * As in mongod: fields come in the input document's order, `_id` first and
 * included unless `_id: 0`; a dotted path descends into embedded documents
 * and into every document of an array (arrays within arrays too), leaving
 * scalars of the array out and an embedded document without the field as
 * `{}`; a path through a scalar or a missing field adds nothing. Any other
 * spec (exclusions, expressions, `{a: {b: 1}}`, a path inside another,
 * `_id` subfields, numbers other than 1) is left to mingo, errors included.
 */
import type { Document } from 'bson';
import { isPlainObject } from './document-values';

/** The included paths as a tree: `true` includes the whole value, a subtree picks inside it. */
type Picks = Map<string, Picks | true>;

/** What a plain inclusion `$project` keeps. */
export interface Inclusion {
  picks: Picks;
  withId: boolean;
}

/** The inclusion a `$project` stage makes, or undefined when mingo should run it. */
export function inclusionOf(stage: Document): Inclusion | undefined {
  const spec: unknown = stage.$project;
  if (Object.keys(stage).length !== 1 || !isPlainObject(spec)) return undefined;
  let withId = true;
  const paths: string[][] = [];
  for (const [path, value] of Object.entries(spec)) {
    if (path === '_id') {
      if (value !== 0 && value !== false && value !== 1 && value !== true) return undefined;
      withId = value === 1 || value === true;
      continue;
    }
    if (value !== 1 && value !== true) return undefined;
    const parts = path.split('.');
    if (parts[0] === '_id' || parts.some((part) => part === '' || part.startsWith('$')))
      return undefined;
    paths.push(parts);
  }
  if (paths.length === 0) return undefined;
  const picks: Picks = new Map();
  for (const parts of paths) {
    let node = picks;
    for (const [i, part] of parts.entries()) {
      const next = node.get(part);
      const last = i === parts.length - 1;
      // A path that is another's prefix is a path collision mongod refuses: mingo answers it.
      if (next === true || (last && next !== undefined)) return undefined;
      if (last) node.set(part, true);
      else if (next) node = next;
      else {
        const child: Picks = new Map();
        node.set(part, child);
        node = child;
      }
    }
  }
  return { picks, withId };
}

/** `document` projected by `inclusion`: a new top level, sharing the values it includes. */
export function projectInclusion(document: Document, inclusion: Inclusion): Document {
  const projected: Document = {};
  if (inclusion.withId && document._id !== undefined) projected._id = document._id;
  pickInto(projected, document, inclusion.picks);
  return projected;
}

function pickInto(target: Document, source: Document, picks: Picks): void {
  for (const key of Object.keys(source)) {
    const pick = picks.get(key);
    if (pick === undefined) continue;
    const value: unknown = source[key];
    if (pick === true) {
      if (value !== undefined) target[key] = value;
      continue;
    }
    const inner = pickInside(value, pick);
    if (inner !== undefined) target[key] = inner;
  }
}

/** The picks inside an embedded document or an array's documents; undefined through a scalar. */
function pickInside(value: unknown, picks: Picks): unknown {
  if (isPlainObject(value)) {
    const inner: Document = {};
    pickInto(inner, value, picks);
    return inner;
  }
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    for (const element of value) {
      const inner = pickInside(element, picks);
      if (inner !== undefined) kept.push(inner);
    }
    return kept;
  }
  return undefined;
}
