import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { StreamedWorkbookWriter } from '../../src/reports/workbook-zip';

type WriterClass = typeof ExcelJS.stream.xlsx.WorkbookWriter;

/** Two styled sheets with shared strings, written by `Writer` into `stream`. */
async function write(Writer: WriterClass, stream: Writable, sheets = 2): Promise<void> {
  const writer = new Writer({ stream, useStyles: true, useSharedStrings: true });
  for (let i = 1; i <= sheets; i += 1) {
    const sheet = writer.addWorksheet(`张伟K00${i}`);
    sheet.columns = [{ width: 6 }, { width: 40 }];
    sheet.mergeCells('A1:B1');
    sheet.getCell('A1').value = '客服部员工考核表';
    sheet.getRow(1).commit();
    const row = sheet.addRow([i, '服务态度']);
    row.font = { bold: true };
    row.commit();
    sheet.commit();
  }
  await writer.commit();
}

async function bytesOf(Writer: WriterClass): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(Writer, stream);
  return Buffer.concat(chunks);
}

test('the workbook zip holds the same parts, in the same order and byte for byte, as exceljs’s archiver', async () => {
  const archived = unzipSync(await bytesOf(ExcelJS.stream.xlsx.WorkbookWriter));
  const zipped = unzipSync(await bytesOf(StreamedWorkbookWriter));
  expect(Object.keys(zipped)).toEqual(Object.keys(archived));
  expect(Object.keys(zipped)).toContain('xl/worksheets/sheet2.xml');
  for (const [name, data] of Object.entries(archived)) {
    // core.xml carries the time the workbook was made.
    if (name === 'docProps/core.xml') continue;
    expect([name, Buffer.from(zipped[name]!).toString()]).toEqual([
      name,
      Buffer.from(data).toString(),
    ]);
  }
  expect(Buffer.from(zipped['xl/sharedStrings.xml']!).toString()).toContain('服务态度');
});

test('a workbook from the zip reads back in exceljs with its sheets, merges and values', async () => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await bytesOf(StreamedWorkbookWriter)) as unknown as ArrayBuffer);
  expect(book.worksheets.map((s) => s.name)).toEqual(['张伟K001', '张伟K002']);
  const sheet = book.getWorksheet('张伟K002')!;
  expect(sheet.getCell('A1').value).toBe('客服部员工考核表');
  expect(sheet.getCell('B1').isMerged).toBe(true);
  expect(sheet.getCell('B2').value).toBe('服务态度');
  expect(sheet.getRow(2).font).toEqual({ bold: true });
});

test('a slow destination holds the writer back until it drains, and gets the whole file', async () => {
  const received: Buffer[] = [];
  let release: () => void = () => undefined;
  let held = 0;
  // Takes each chunk only when released, with room for 1 kB: a sheet's compressed part fills it.
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      received.push(chunk);
      held += 1;
      release = done;
    },
  });
  const writer = new StreamedWorkbookWriter({ stream: slow, useSharedStrings: true });
  const sheet = writer.addWorksheet('汇总');
  for (let i = 0; i < 200; i += 1) sheet.addRow([`员工${i}`, i]).commit();
  sheet.commit();
  let drained = false;
  const waiting = writer.zip.drained().then(() => (drained = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(drained).toBe(false);
  expect(held).toBe(1);
  // Let every chunk through from here on.
  slow._write = (chunk: Buffer, _encoding, done) => {
    received.push(chunk);
    done();
  };
  release();
  await waiting;
  expect(drained).toBe(true);
  await writer.commit();
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.concat(received) as unknown as ArrayBuffer);
  expect(book.getWorksheet('汇总')!.getCell('A200').value).toBe('员工199');
});
