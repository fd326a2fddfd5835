import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../lib/errors';

/** A parsed XML element: text values stay strings, repeated elements are arrays. */
export type XmlNode = { [name: string]: string | XmlNode | XmlNode[] | string[] | undefined };

// Elements WeCom repeats; a single one must still come back as a list.
const REPEATED = new Set(['SelectedItem', 'OptionId']);

const parser = new XMLParser({
  // Entities are never expanded: a DOCTYPE is refused below, and nothing else may define one.
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // MsgIds exceed 2^53; every value stays the string WeCom sent.
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => REPEATED.has(tagName),
});

// DOCTYPE and ENTITY declarations are the vehicles of entity expansion and
// external entity attacks; WeCom never sends them.
const DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

/** Refuses a document carrying DOCTYPE or ENTITY declarations (400), before anything parses it. */
export function refuseDeclarations(xml: string): void {
  if (DECLARATION.test(xml)) throw new AppError('bad_payload', 'xml declarations are not accepted');
}

/**
 * Refuses (400) an envelope that is not one well-formed document with an
 * <xml> root. Its declarations were refused before its signature was checked,
 * and its one value was read then, so it is validated, not parsed again.
 */
export function assertWellFormedEnvelope(xml: string): void {
  if (XMLValidator.validate(xml) !== true) throw new AppError('bad_payload', 'malformed xml');
  if (!ROOT.test(xml)) throw new AppError('bad_payload', 'xml has no <xml> root element');
}

// The document's first element, after an optional XML declaration.
const ROOT = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml[\s>]/;

/** Parses WeCom XML into plain objects; refuses declarations and malformed documents with a 400. */
export function parseWecomXml(xml: string): XmlNode {
  refuseDeclarations(xml);
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch (err) {
    throw new AppError('bad_payload', 'malformed xml', { cause: err });
  }
  const root = (parsed as { xml?: unknown } | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    throw new AppError('bad_payload', 'xml has no <xml> root element');
  }
  return root as XmlNode;
}

/** The text of a child element, or '' when absent or not text. */
export function xmlText(node: XmlNode | undefined, name: string): string {
  const value = node?.[name];
  return typeof value === 'string' ? value : '';
}

/** The child elements called `name` as a list, whether there were none, one or many. */
export function xmlList(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined || typeof value === 'string') return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is XmlNode => typeof item === 'object' && item !== null,
  );
}
