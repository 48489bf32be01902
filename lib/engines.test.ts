import fs from 'node:fs';
import semver from 'semver';
import { describe, expect, test } from 'vitest';

// The README promises Node.js 20+: every package that is installed (not optional) must say it runs on
// the Node these tests run on, and package.json's own engines field must be true.
describe('declared Node engines', () => {
  const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string }; optional?: boolean }> };
  const node = process.versions.node;

  test('every locked package allows this Node', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([name, pkg]) => name && !pkg.optional && pkg.engines?.node && !semver.satisfies(node, pkg.engines.node))
      .map(([name, pkg]) => `${name} wants node ${pkg.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  test('package.json\'s engines allow Node 20.9 and this Node', () => {
    const range = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    expect(semver.satisfies('20.9.0', range)).toBe(true);
    expect(semver.satisfies(node, range)).toBe(true);
  });
});
