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
}

// exceljs's value types (Enums.ValueType), which a style's first use records.
const NULL_TYPE = 0;
const NUMBER_TYPE = 2;
const STRING_TYPE = 3;
const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

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
 * A cost of the streaming writer that grows with the number of sheets and
 * changes nothing in the file: each new sheet's id is found by scanning every
 * sheet so far (50 million steps for 10,000 sheets; sheets are never removed
 * here, so the next id is the next slot).
 */
export function tuneForManySheets(workbook: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const internals = workbook as unknown as WorkbookInternals;
  Object.defineProperty(workbook, 'nextId', { get: () => internals._worksheets.length || 1 });
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
