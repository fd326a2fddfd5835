import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { writePlainRows, type PlainRow } from '../../src/reports/sheet-rows';

const BOLD_ROW: Partial<ExcelJS.Style> = { font: { bold: true } };
const PLAIN: Partial<ExcelJS.Style> = {};
const CELL: Partial<ExcelJS.Style> = {
  border: { top: { style: 'thin' }, bottom: { style: 'thin' } },
  alignment: { vertical: 'middle', wrapText: true },
};

const ROWS: PlainRow[] = [
  { values: ['被考核人：张伟', '', '工号：K001'], style: PLAIN, cellStyle: PLAIN },
  { values: ['序号', '项目', '备注'], style: BOLD_ROW, cellStyle: CELL },
  { values: [1, '服务态度', null], style: PLAIN, cellStyle: CELL },
  { values: [null, '最终得分', 69.4], style: PLAIN, cellStyle: CELL },
];

/** A one-sheet workbook: a title row through exceljs, then ROWS by `write`. */
async function workbook(write: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: true,
  });
  const sheet = writer.addWorksheet('表');
  sheet.columns = [{ width: 6 }, { width: 40 }, { width: 10 }];
  sheet.getCell('A1').value = '考核表';
  sheet.getRow(1).commit();
  write(sheet);
  sheet.commit();
  await writer.commit();
  return Buffer.concat(chunks);
}

/** Every row and cell as a reader sees them: values, types and styles, and each row's style. */
async function readBack(file: Buffer): Promise<unknown[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const seen: unknown[] = [];
  book.getWorksheet('表')!.eachRow({ includeEmpty: true }, (row, n) => {
    seen.push({ n, style: (row as unknown as { style: unknown }).style });
    row.eachCell({ includeEmpty: true }, (cell) =>
      seen.push({ at: cell.address, value: cell.value, type: cell.type, style: cell.style }),
    );
  });
  return seen;
}

test('plain rows read back exactly as the same rows written cell by cell through exceljs', async () => {
  const byExceljs = await workbook((sheet) => {
    for (const { values, style, cellStyle } of ROWS) {
      const row = sheet.addRow(values);
      row.eachCell({ includeEmpty: true }, (cell) => (cell.style = cellStyle));
      (row as unknown as { style: unknown }).style = style;
      row.commit();
    }
  });
  const plain = await workbook((sheet) => writePlainRows(sheet, ROWS));
  const expected = await readBack(byExceljs);
  expect(await readBack(plain)).toEqual(expected);
  // The bold header row and the values a reader sees, so the comparison is not of two empty sheets.
  expect(expected).toContainEqual({
    n: 3,
    style: expect.objectContaining({ font: { bold: true } }),
  });
  expect(expected).toContainEqual(
    expect.objectContaining({ at: 'C5', value: 69.4, type: ExcelJS.ValueType.Number }),
  );
});

test('plain rows refuse a sheet that still holds rows of its own', async () => {
  await workbook((sheet) => {
    sheet.addRow(['not committed']);
    expect(() => writePlainRows(sheet, ROWS)).toThrow(/committed/);
    sheet.getRow(2).commit();
  });
});
