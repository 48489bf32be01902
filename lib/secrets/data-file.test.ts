import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { dataDir, readOrCreateSecretFile } from './data-file';

const dirs: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollbooth-secret-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const parse = (text: string) => (text.length === 8 ? text : undefined);

describe('dataDir', () => {
  test('beside the SQLite file; ./data for PostgreSQL', () => {
    expect(dataDir('file:/srv/tollbooth/db.sqlite')).toBe('/srv/tollbooth');
    expect(dataDir('postgresql://u@h/db')).toBe(path.resolve('data'));
  });
});

describe('readOrCreateSecretFile', () => {
  test('writes a new secret once (mode 0600) and reads it back afterwards', () => {
    const file = path.join(tmp(), 'nested', 'secret');
    expect(readOrCreateSecretFile(file, () => 'aaaaaaaa', parse)).toBe('aaaaaaaa');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readOrCreateSecretFile(file, () => 'bbbbbbbb', parse)).toBe('aaaaaaaa');
  });

  test('a file that holds no usable secret is never overwritten', () => {
    const file = path.join(tmp(), 'secret');
    fs.writeFileSync(file, 'short');
    expect(() => readOrCreateSecretFile(file, () => 'bbbbbbbb', parse)).toThrow(`${file} does not hold a usable secret`);
    expect(fs.readFileSync(file, 'utf8')).toBe('short');
  });
});
