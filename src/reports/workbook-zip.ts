/**
 * The zip a streamed workbook is written into, in place of the archiver
 * exceljs's streaming writer makes for itself (checked against exceljs 4.4).
 *
 * A person sheet is about 5 kB of XML. Through the archiver each one went
 * through a zlib stream of its own, compressed on the thread pool a turn of
 * the event loop at a time, one entry after the other: for 10,000 sheets the
 * writer waited on the zip a fifth of the time, and each sheet left a 64 kB
 * (8 kB tuned) stream buffer and a 16 kB zlib output buffer to collect. Here a
 * sheet's XML is kept as written until the sheet is committed, then
 * compressed at once with zlib's one-shot deflate; fflate lays out the zip
 * around the bytes.
 */
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { Zip, type FlateError, type ZipInputFile } from 'fflate';

// The method a zip entry's data is compressed with (8: deflate).
const DEFLATED = 8;
// zlib's output buffer for one part: below 4 kB, Buffer takes it from its shared pool instead
// of an allocation of its own (16 kB by default), and a sheet's compressed XML is about 1.5 kB.
const OUTPUT_CHUNK_BYTES = 4095;
// zlib's default level, as the archiver used.
const LEVEL = constants.Z_DEFAULT_COMPRESSION;

/** One file in the zip; fflate calls it a ZipInputFile and writes its header and descriptor. */
interface Entry extends ZipInputFile {
  ondata: NonNullable<ZipInputFile['ondata']>;
}

/** exceljs's StringBuf, which its sheet writers reuse from one write to the next. */
interface StringBufLike {
  toBuffer(): Buffer;
}

/**
 * A part written a piece at a time (a sheet's XML), as exceljs's sheet
 * writers write to the stream `_openStream` gives them: write(), then end().
 */
export class WorkbookPart extends EventEmitter {
  private pieces: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly done: (data: Buffer) => void) {
    super();
  }

  write(data: string | Buffer | StringBufLike): boolean {
    // A StringBuf is reset and reused for the next write: what it holds now is copied.
    const piece =
      typeof data === 'string'
        ? Buffer.from(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data.toBuffer());
    this.pieces.push(piece);
    this.bytes += piece.length;
    return true;
  }

  end(): void {
    const data = Buffer.concat(this.pieces, this.bytes);
    this.pieces = [];
    this.done(data);
    // exceljs waits for 'zipped' on a sheet it commits itself (one left open at the workbook's commit).
    this.emit('finish');
    this.emit('zipped');
  }

  /** The sheet writer pauses its stream; a part emits no data to pause. */
  pause(): void {}
}

export class WorkbookZip extends EventEmitter {
  private readonly zip = new Zip();
  private readonly mtime = new Date();
  private destination: Writable | null = null;
  private open = 0;
  private finalizing = false;

  constructor() {
    super();
    this.zip.ondata = (error, chunk, final) => this.output(error, chunk, final);
  }

  pipe<T extends Writable>(destination: T): T {
    this.destination = destination;
    return destination;
  }

  /** Adds a part whose data is at hand (the writer's styles, shared strings, workbook.xml…). */
  append(source: string | Buffer, options: { name: string; base64?: boolean }): this {
    const entry = this.entry(options.name);
    this.zip.add(entry);
    const data =
      typeof source === 'string'
        ? Buffer.from(source, options.base64 ? 'base64' : 'utf8')
        : Buffer.isBuffer(source)
          ? source
          : null;
    if (!data) throw new Error(`WorkbookZip: ${options.name} is neither text nor bytes`);
    this.fill(entry, data);
    return this;
  }

  /** Adds a part written later. Its place in the zip is still the order parts were added in. */
  openPart(name: string): WorkbookPart {
    const entry = this.entry(name);
    this.zip.add(entry);
    this.open += 1;
    return new WorkbookPart((data) => {
      this.open -= 1;
      this.fill(entry, data);
      this.endIfDone();
    });
  }

  /** The writer adds a picture from a file this way: the workbook has none. */
  file(): never {
    throw new Error('WorkbookZip: pictures from files are not supported');
  }

  /** Writes the central directory once every part has ended. */
  finalize(): void {
    this.finalizing = true;
    this.endIfDone();
  }

  /** Resolves once the destination has taken what was written so far. */
  async drained(): Promise<void> {
    const destination = this.destination;
    if (!destination?.writableNeedDrain) return;
    await new Promise<void>((resolve) => destination.once('drain', resolve));
  }

  private entry(name: string): Entry {
    // The archiver stored names without their leading slash; exceljs gives some with one.
    const filename = name.replace(/^\/+/, '');
    return {
      filename,
      size: 0,
      crc: 0,
      compression: DEFLATED,
      mtime: this.mtime,
      ondata: () => undefined,
    };
  }

  private fill(entry: Entry, data: Buffer): void {
    entry.size = data.length;
    entry.crc = crc32(data);
    const compressed = deflateRawSync(data, { level: LEVEL, chunkSize: OUTPUT_CHUNK_BYTES });
    entry.ondata(null, compressed, true);
  }

  private endIfDone(): void {
    if (this.finalizing && this.open === 0) this.zip.end();
  }

  private output(error: FlateError | null, chunk: Uint8Array | null, final: boolean): void {
    if (error) {
      this.emit('error', error);
      return;
    }
    if (!this.destination) throw new Error('WorkbookZip: pipe() comes before any part');
    if (chunk?.length)
      this.destination.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    if (final) this.destination.end();
  }
}

/**
 * exceljs's streaming workbook writer with its zip replaced by a WorkbookZip,
 * and each sheet's stream by one of its parts. The writer makes its archiver
 * in its constructor (`this.zip = …`, then pipes it and adds its first
 * parts), so this class takes that assignment with an accessor: the archiver
 * made there is never used.
 */
export class StreamedWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  get zip(): WorkbookZip {
    return zips.get(this)!;
  }

  set zip(_archiver: unknown) {
    // Set once, while the base constructor runs (before this class's fields would exist).
    if (!zips.has(this)) zips.set(this, new WorkbookZip());
  }

  /** Where a sheet writer (and its rels and comments writers) write their part. */
  _openStream(path: string): WorkbookPart {
    return this.zip.openPart(path);
  }
}

const zips = new WeakMap<object, WorkbookZip>();
