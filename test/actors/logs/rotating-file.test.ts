import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../paths.js';
import { RotatingFile, type LogFileOperation } from '../../../actors/logs/rotating-file.js';

const writerModule = pathToFileURL(path.join(repoRoot, 'dist', 'actors', 'logs', 'rotating-file.js')).href;

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-rotating-'));
  tempDirs.push(dir);
  return dir;
}

function letterChunk(index: number, length: number): Buffer {
  return Buffer.alloc(length, 65 + (index % 26));
}

function sizeOf(file: string): number {
  return fs.statSync(file).size;
}

interface ReportedError {
  code: string | undefined;
  operation: LogFileOperation;
}

test('rotates after the write that reaches maxBytes, never splitting a write (as observed on supervisord 4.2.5)', () => {
  const dir = tempDir();
  const file = path.join(dir, 'emit.log');
  const log = new RotatingFile(file, { maxBytes: 1000, backups: 2 });
  const sizes = [300, 300, 300, 300, 2500, 10, 10, 300, 1000, 5];
  sizes.forEach((length, index) => log.write(letterChunk(index, length)));
  log.close();
  // The reference left: emit.log 5 bytes (J), emit.log.1 1320 (F..I), emit.log.2 2500 (E);
  // the first 1200 bytes went to a third backup that backups=2 does not keep.
  assert.deepEqual(fs.readdirSync(dir).sort(), ['emit.log', 'emit.log.1', 'emit.log.2']);
  assert.equal(fs.readFileSync(file, 'latin1'), 'JJJJJ');
  assert.deepEqual(fs.readFileSync(`${file}.1`), Buffer.concat([5, 6, 7, 8].map((i) => letterChunk(i, sizes[i] ?? 0))));
  assert.equal(sizeOf(`${file}.1`), 1320);
  assert.deepEqual(fs.readFileSync(`${file}.2`), letterChunk(4, 2500));
});

test('no byte is lost across many rotations: backups concatenated oldest first equal what was written', () => {
  const dir = tempDir();
  const file = path.join(dir, 'many.log');
  const log = new RotatingFile(file, { maxBytes: 4096, backups: 500 });
  const written: Buffer[] = [];
  let seed = 7;
  for (let i = 0; i < 2000; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const chunk = Buffer.from(`${i}:`.padEnd(1 + (seed % 700), String.fromCharCode(97 + (i % 26))));
    written.push(chunk);
    assert.equal(log.write(chunk), true);
  }
  log.close();
  const backups = fs.readdirSync(dir).filter((name) => name !== 'many.log').length;
  assert.ok(backups > 50 && backups < 500, `expected many backups, got ${backups}`);
  const parts: Buffer[] = [];
  for (let index = backups; index >= 1; index -= 1) {
    const part = fs.readFileSync(`${file}.${index}`);
    assert.ok(part.length >= 4096 && part.length < 4096 + 700, `backup .${index} has ${part.length} bytes`);
    parts.push(part);
  }
  parts.push(fs.readFileSync(file));
  assert.ok(Buffer.concat(parts).equals(Buffer.concat(written)));
});

test('backups=0 truncates the file in place at rotation, as the reference does', () => {
  const dir = tempDir();
  const file = path.join(dir, 'zero.log');
  const log = new RotatingFile(file, { maxBytes: 1000, backups: 0 });
  for (let i = 0; i < 3; i += 1) log.write(letterChunk(i, 600));
  log.close();
  // Reference: 600 + 600 reaches 1000, the file is emptied, the third 600 remain.
  assert.deepEqual(fs.readdirSync(dir), ['zero.log']);
  assert.deepEqual(fs.readFileSync(file), letterChunk(2, 600));
});

test('maxBytes=0 never rotates', () => {
  const dir = tempDir();
  const file = path.join(dir, 'forever.log');
  const log = new RotatingFile(file, { maxBytes: 0, backups: 5 });
  assert.equal(log.rotates, false);
  for (let i = 0; i < 100; i += 1) log.write(letterChunk(i, 1000));
  log.close();
  assert.deepEqual(fs.readdirSync(dir), ['forever.log']);
  assert.equal(sizeOf(file), 100_000);
});

test('appends to an existing file, counts its size, and rotates after the first write if already too big', () => {
  const dir = tempDir();
  const file = path.join(dir, 'old.log');
  fs.writeFileSync(file, 'x'.repeat(5000));
  const log = new RotatingFile(file, { maxBytes: 1000, backups: 1 });
  assert.equal(log.size, 5000);
  log.write('tail');
  assert.equal(log.size, 0);
  log.write('next');
  log.close();
  assert.equal(fs.readFileSync(`${file}.1`, 'latin1'), `${'x'.repeat(5000)}tail`);
  assert.equal(fs.readFileSync(file, 'latin1'), 'next');
});

test('every byte is in the file as soon as write returns', () => {
  const dir = tempDir();
  const file = path.join(dir, 'sync.log');
  const log = new RotatingFile(file, { maxBytes: 10_000, backups: 1 });
  for (let i = 0; i < 50; i += 1) {
    log.write(`line ${i}\n`);
    assert.ok(fs.readFileSync(file, 'latin1').endsWith(`line ${i}\n`));
  }
  log.close();
});

test('reopen starts a new file at the path after the old one was moved away', () => {
  const dir = tempDir();
  const file = path.join(dir, 'moved.log');
  const log = new RotatingFile(file, { maxBytes: 1_000_000, backups: 3 });
  log.write('before\n');
  fs.renameSync(file, path.join(dir, 'moved.log.logrotated'));
  log.write('still old\n');
  assert.equal(log.reopen(), true);
  log.write('after\n');
  log.close();
  assert.equal(fs.readFileSync(path.join(dir, 'moved.log.logrotated'), 'latin1'), 'before\nstill old\n');
  assert.equal(fs.readFileSync(file, 'latin1'), 'after\n');
});

test('a failed reopen is reported, and later writes recover once the path can be opened', () => {
  const dir = tempDir();
  const sub = path.join(dir, 'sub');
  fs.mkdirSync(sub);
  const file = path.join(sub, 'gone.log');
  const errors: ReportedError[] = [];
  const log = new RotatingFile(file, { onError: (error, operation) => errors.push({ code: error.code, operation }) });
  log.write('one\n');
  fs.rmSync(sub, { recursive: true });
  assert.equal(log.reopen(), false);
  assert.equal(log.write('lost\n'), false);
  assert.equal(log.write('lost too\n'), false);
  assert.deepEqual(errors, [
    { code: 'ENOENT', operation: 'reopen' },
    { code: 'ENOENT', operation: 'write' },
  ]);
  fs.mkdirSync(sub);
  assert.equal(log.write('back\n'), true);
  log.close();
  assert.equal(fs.readFileSync(file, 'latin1'), 'back\n');
});

test('clear removes the current file and starts an empty one, keeping backups (reference removelogs)', () => {
  const dir = tempDir();
  const file = path.join(dir, 'clear.log');
  const log = new RotatingFile(file, { maxBytes: 10, backups: 2 });
  log.write('0123456789');
  log.write('abc');
  log.clear();
  assert.equal(log.size, 0);
  assert.equal(fs.readFileSync(file, 'latin1'), '');
  assert.equal(fs.readFileSync(`${file}.1`, 'latin1'), '0123456789');
  log.write('new');
  log.close();
  assert.equal(fs.readFileSync(file, 'latin1'), 'new');
});

test('an open error is thrown, and the directory is not created', () => {
  const dir = tempDir();
  assert.throws(() => new RotatingFile(path.join(dir, 'missing', 'x.log')), { code: 'ENOENT' });
  assert.equal(fs.existsSync(path.join(dir, 'missing')), false);
  assert.throws(() => new RotatingFile(dir), { code: 'EISDIR' });
});

test('write errors go to onError once per failure streak and never throw', () => {
  const errors: ReportedError[] = [];
  const log = new RotatingFile('/dev/full', {
    maxBytes: 10,
    backups: 3,
    onError: (error, operation) => errors.push({ code: error.code, operation }),
  });
  assert.equal(log.rotates, false);
  assert.equal(log.write('x'.repeat(100)), false);
  assert.equal(log.write('y'), false);
  assert.deepEqual(errors, [{ code: 'ENOSPC', operation: 'write' }]);
  log.close();
  assert.equal(log.write('after close'), false);
  assert.deepEqual(errors.at(-1), { code: 'LOG_IO', operation: 'write' });
});

test('a rotation that cannot rename keeps writing to the current file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'stuck.log');
  fs.mkdirSync(`${file}.1`);
  fs.writeFileSync(path.join(`${file}.1`, 'occupant'), '');
  const errors: ReportedError[] = [];
  const log = new RotatingFile(file, {
    maxBytes: 5,
    backups: 1,
    onError: (error, operation) => errors.push({ code: error.code, operation }),
  });
  assert.equal(log.write('123456'), true);
  assert.equal(log.write('789'), true);
  log.close();
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.operation, 'rotate');
  assert.equal(fs.readFileSync(file, 'latin1'), '123456789');
});

function runWriterScript(target: string, chunks: number): ReturnType<typeof spawnSync> {
  const script = `
    import { RotatingFile } from ${JSON.stringify(writerModule)};
    const log = new RotatingFile(${JSON.stringify(target)}, { maxBytes: 10, backups: 2 });
    for (let i = 0; i < ${chunks}; i += 1) log.write('chunk ' + i + '\\n');
    log.reopen();
    log.clear();
    log.write('end\\n');
    log.close();
  `;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'latin1' });
}

function expectedChunks(chunks: number): string {
  return Array.from({ length: chunks }, (_, i) => `chunk ${i}\n`).join('') + 'end\n';
}

test('/dev/stdout and /dev/stderr are written without seeking, rotating or unlinking', () => {
  const toStdout = runWriterScript('/dev/stdout', 100);
  assert.equal(toStdout.status, 0, String(toStdout.stderr));
  assert.equal(toStdout.stdout, expectedChunks(100));
  const toStderr = runWriterScript('/dev/stderr', 20);
  assert.equal(toStderr.status, 0);
  assert.equal(toStderr.stderr, expectedChunks(20));
  assert.equal(fs.existsSync('/dev/stdout.1'), false);
});

test('/dev/stdout works when the daemon`s stdout is a regular file', () => {
  const dir = tempDir();
  const out = path.join(dir, 'out.txt');
  const fd = fs.openSync(out, 'w');
  const script = `
    import { RotatingFile } from ${JSON.stringify(writerModule)};
    const log = new RotatingFile('/dev/stdout', { maxBytes: 5, backups: 2 });
    process.stdout.write('own line\\n');
    log.write('child output 1\\n');
    process.stdout.write('own line 2\\n');
    log.write('child output 2\\n');
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', fd, 'pipe'] });
  fs.closeSync(fd);
  assert.equal(result.status, 0, String(result.stderr));
  // Shares the daemon's fd 1, so nothing is overwritten (the reference reopens the path and clobbers).
  assert.equal(fs.readFileSync(out, 'latin1'), 'own line\nchild output 1\nown line 2\nchild output 2\n');
  assert.deepEqual(fs.readdirSync(dir), ['out.txt']);
});

async function openWhenReaderIsThere(fifo: string): Promise<RotatingFile> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    try {
      return new RotatingFile(fifo, { maxBytes: 16, backups: 2 });
    } catch (caught) {
      if ((caught as NodeJS.ErrnoException).code !== 'ENXIO') throw caught;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  throw new Error('the FIFO reader never opened it');
}

test('a FIFO target is written in full and never rotated', async () => {
  const dir = tempDir();
  const fifo = path.join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  // No reader yet: the open fails instead of blocking the daemon.
  assert.throws(() => new RotatingFile(fifo), { code: 'ENXIO' });
  // The reader writes to a file: a pipe back to this (blocked) process would deadlock.
  const received = path.join(dir, 'received');
  const receivedFd = fs.openSync(received, 'w');
  const reader = spawn('cat', [fifo], { stdio: ['ignore', receivedFd, 'inherit'] });
  fs.closeSync(receivedFd);
  const finished = new Promise((resolve) => reader.on('close', resolve));
  const log = await openWhenReaderIsThere(fifo);
  assert.equal(log.rotates, false);
  const written: Buffer[] = [];
  // More than a pipe buffer holds, so the writer must wait for the reader (EAGAIN) without losing bytes.
  for (let i = 0; i < 64; i += 1) {
    const chunk = letterChunk(i, 8192);
    written.push(chunk);
    assert.equal(log.write(chunk), true);
  }
  log.close();
  await finished;
  assert.ok(fs.readFileSync(received).equals(Buffer.concat(written)));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['pipe', 'received']);
});
