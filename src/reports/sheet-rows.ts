/**
 * What the workbook needs of exceljs's streaming writer beyond its public
 * API, checked against exceljs 4.4 (its internals; the workbook test and a
 * byte comparison of every sheet's XML before and after hold it there).
 *
 * A person sheet's rows are written here as exceljs writes them — the same
 * XML, the same style ids and shared strings, registered in the same order —
 * without its Row and Cell objects and its XML builder for each of them: for
 * 10,000 sheets of 16 rows that per-cell work was the largest part of the
 * time, and most of the garbage.
 */
import { once, type EventEmitter } from 'node:events';
import type ExcelJS from 'exceljs';

/** A cell value as the person sheet has them. */
export type PlainValue = string | number | null;

/** One row: its values from column A on, the row's own style and its cells' style. */
export interface PlainRow {
  values: PlainValue[];
  style: Partial<ExcelJS.Style>;
  cellStyle: Partial<ExcelJS.Style>;
}

interface SheetInternals {
  _workbook: {
    styles: { addStyleModel(style: object, cellType?: number): number };
    sharedStrings: { add(value: string): number };
  };
  stream: { write(text: string): void };
  useSharedStrings: boolean;
  startedData: boolean;
  _rows: unknown[] | null;
  _rowZero: number;
}

interface WorkbookInternals {
  _worksheets: unknown[];
  // The archiver (its entry counters are private; 'entry' is its event for each one zipped).
  zip: EventEmitter & { _entriesCount: number; _entriesProcessedCount: number };
  _openStream(path: string): { bufSize: number };
}

// exceljs's value types (Enums.ValueType), which a style's first use records.
const NULL_TYPE = 0;
const NUMBER_TYPE = 2;
const STRING_TYPE = 3;
const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// A person sheet's XML is about 5 kB; exceljs gives every sheet's stream a 64 kB buffer.
const SHEET_BUFFER_BYTES = 8 * 1024;

/**
 * Appends `rows` to a streamed sheet after the rows exceljs has written,
 * exactly as exceljs's row and cell writers would render them. The sheet
 * must use shared strings and have committed every row it was given.
 */
export function writePlainRows(sheet: ExcelJS.Worksheet, rows: PlainRow[]): void {
  const internals = sheet as unknown as SheetInternals;
  if (!internals.useSharedStrings || !internals.startedData || internals._rows?.length) {
    throw new Error(
      'writePlainRows: the sheet must use shared strings and have its rows committed',
    );
  }
  const { styles, sharedStrings } = internals._workbook;
  const xml: string[] = [];
  let number = internals._rowZero;
  for (const row of rows) {
    // Row style first, then each cell's, as exceljs prepares a row: style ids follow first use.
    const rowStyle = styles.addStyleModel(row.style);
    const format = rowStyle ? ` s="${rowStyle}" customFormat="1"` : '';
    xml.push(`<row r="${number}" spans="1:${row.values.length}"${format} x14ac:dyDescent="0.25">`);
    row.values.forEach((value, i) => {
      const type =
        value === null ? NULL_TYPE : typeof value === 'number' ? NUMBER_TYPE : STRING_TYPE;
      const style = styles.addStyleModel(row.cellStyle, type);
      if (value === null && !style) return;
      const open = `<c r="${COLUMN_LETTERS[i]}${number}"${style ? ` s="${style}"` : ''}`;
      if (value === null) xml.push(`${open}/>`);
      else if (typeof value === 'number') xml.push(`${open}><v>${value}</v></c>`);
      else xml.push(`${open} t="s"><v>${sharedStrings.add(value)}</v></c>`);
    });
    xml.push('</row>');
    number += 1;
  }
  internals.stream.write(xml.join(''));
  internals._rowZero = number;
}

/**
 * Two costs of the streaming writer that grow with the number of sheets and
 * change nothing in the file: each new sheet's id is found by scanning every
 * sheet so far (50 million steps for 10,000 sheets; sheets are never removed
 * here, so the next id is the next slot), and each sheet's stream gets a
 * 64 kB zeroed buffer (640 MB for 10,000 sheets).
 */
export function tuneForManySheets(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const internals = workbook as unknown as WorkbookInternals;
  Object.defineProperty(workbook, 'nextId', { get: () => internals._worksheets.length || 1 });
  const open = internals._openStream.bind(workbook);
  internals._openStream = (path) => {
    const stream = open(path);
    // Set before the first write, which is when the buffer is made.
    stream.bufSize = SHEET_BUFFER_BYTES;
    return stream;
  };
}

/**
 * Lets go of a committed sheet's writer. The workbook writer keeps every
 * sheet until its own commit, which reads only a sheet's id, name, state,
 * print ranges and that it was committed (for workbook.xml, its rels,
 * [Content_Types].xml and app.xml); the rest of a sheet writer (its columns,
 * page setup, rels and comments writers and, through its stream, the XML
 * buffers) stayed for 10,000 sheets. So a committed sheet is replaced by just
 * those fields; the zip holds its own reference to the XML until compressed.
 */
export function releaseCommittedSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  sheet: ExcelJS.Worksheet,
): void {
  const internals = workbook as unknown as WorkbookInternals;
  const { id, name, state, pageSetup } = sheet;
  if (
    !(sheet as unknown as { committed: boolean }).committed ||
    internals._worksheets[id] !== sheet
  )
    throw new Error('releaseCommittedSheet: the sheet must be committed, in this workbook');
  const { printArea, printTitlesRow, printTitlesColumn } = pageSetup;
  internals._worksheets[id] = {
    id,
    name,
    state,
    committed: true,
    pageSetup: { printArea, printTitlesRow, printTitlesColumn },
  };
}

/**
 * Waits while more than `max` entries are waiting to be zipped. A committed
 * sheet's XML is queued in the archiver until it is compressed, and the
 * archiver takes several turns of the event loop for each entry: with only
 * a pause after each sheet it fell thousands of sheets behind (4,488 queued,
 * 22 MB of XML, at the 6,000th of 10,000), all of it held in memory.
 */
export async function zipCaughtUp(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  max: number,
): Promise<void> {
  const { zip } = workbook as unknown as WorkbookInternals;
  while (zip._entriesCount - zip._entriesProcessedCount > max) await once(zip, 'entry');
}
