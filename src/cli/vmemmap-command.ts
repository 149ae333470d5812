import type { Command } from 'commander';
import { InputError } from '../model/input-error.js';
import { formatSize, parseSize } from '../model/sizes.js';
import { parseGeometry, vmemmapFootprint, type VmemmapFootprint } from '../model/vmemmap-geometry.js';

interface VmemmapOptions {
  size?: string;
  geometry?: string;
  altmap?: boolean;
  json?: boolean;
}

/** `memmap-sim vmemmap`: the closed-form vmemmap footprint of one namespace. */
export function registerVmemmapCommand(program: Command): void {
  program
    .command('vmemmap')
    .description('vmemmap (struct page) footprint of a device-dax range at 4K, 2M or 1G geometry')
    .option('--size <size>', 'namespace size, e.g. 128G, 1T (multiple of 2M, and of the compound page)')
    .option('--geometry <geometry>', 'compound page size: 4K (base pages), 2M or 1G')
    .option('--altmap', 'memmap allocated from the device (no deduplication)', false)
    .option('--json', 'print one JSON document', false)
    .action((opts: VmemmapOptions) => {
      // Validated here, not by commander, so bad input is an InputError (exit 2) naming the flag.
      if (opts.size === undefined) throw new InputError('--size', 'is required (e.g. --size 1T)');
      if (opts.geometry === undefined) throw new InputError('--geometry', 'is required (4K, 2M or 1G)');
      const fp = vmemmapFootprint({
        sizeBytes: parseSize(opts.size, '--size'),
        geometry: parseGeometry(opts.geometry, '--geometry'),
        altmap: opts.altmap === true,
        field: '--size',
      });
      process.stdout.write(opts.json ? `${JSON.stringify(fp)}\n` : renderTable(fp));
    });
}

const pct = (bytes: number, of: number): string => {
  const p = (100 * bytes) / of;
  return `${p >= 0.01 || p === 0 ? p.toFixed(2) : p.toPrecision(2)}%`;
};

/** Human-readable table: one row per quantity, columns aligned. */
export function renderTable(fp: VmemmapFootprint): string {
  const pageSize = fp.sizeBytes / fp.structPages;
  const mode = fp.onDevice ? 'memmap on device (altmap), not optimized' : fp.optimized ? 'tail vmemmap deduplicated' : 'not optimized';
  const rows: [string, string, string, string][] = [
    ['', 'pages', 'bytes', 'of size'],
    ['struct pages', String(fp.structPages), '', ''],
    ['struct pages initialized', String(fp.structPagesInitialized), '', ''],
    ['vmemmap data pages', String(fp.dataPages), formatSize(fp.dataPages * pageSize), pct(fp.dataPages * pageSize, fp.sizeBytes)],
    ['PTE table pages', String(fp.pageTablePages), formatSize(fp.pageTablePages * pageSize), pct(fp.pageTablePages * pageSize, fp.sizeBytes)],
    ['total (data + PTE)', String(fp.totalBytes / pageSize), formatSize(fp.totalBytes), pct(fp.totalBytes, fp.sizeBytes)],
    ['PMD table pages (not in total)', String(fp.pmdPages), formatSize(fp.pmdPages * pageSize), ''],
    ['base pages (4K) total', String(fp.baseBytes / pageSize), formatSize(fp.baseBytes), pct(fp.baseBytes, fp.sizeBytes)],
    ['saved vs 4K', String(fp.savedBytes / pageSize), formatSize(fp.savedBytes), pct(fp.savedBytes, fp.sizeBytes)],
  ];
  if (fp.onDevice) rows.push(['of total on device', '', formatSize(fp.deviceBytes), '']);
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => [r[0].padEnd(w[0]), r[1].padStart(w[1]), r[2].padStart(w[2]), r[3].padStart(w[3])].join('  ').trimEnd());
  const shape = fp.vmemmapShift === 0 ? 'base pages' : `vmemmap_shift ${fp.vmemmapShift}, ${fp.compoundPages} compound pages`;
  const head = `vmemmap of ${formatSize(fp.sizeBytes)} at ${fp.geometry} geometry (${shape}): ${mode}`;
  return `${head}\n${lines.join('\n')}\n`;
}
