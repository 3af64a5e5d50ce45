/*
 * A commit's archive as `git archive --format=tar.gz` writes it, which is
 * what GitHub's codeload serves for `GET /repos/{o}/{r}/tarball/{ref}`:
 * a pax global header carrying the commit id, then every folder and file
 * of the commit's tree under one top folder, ustar headers (a pax `path`
 * record for names over 100 bytes), padded to 10 KiB records.
 */
import { gzipSync } from 'node:zlib';
import { GitCommit, GitObjectStore } from './objectStore';

const BLOCK = 512;
const RECORD = 20 * BLOCK;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function ustarHeader(entry: {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  type: string;
  linkname?: string;
}): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(entry.name, 0, 100, 'utf8');
  header.write(octal(entry.mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(entry.size, 12), 124, 'ascii');
  header.write(octal(entry.mtime, 12), 136, 'ascii');
  header.fill(' ', 148, 156);
  header.write(entry.type, 156, 'ascii');
  header.write(entry.linkname ?? '', 157, 100, 'utf8');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii');
  header.write('root', 297, 'ascii');
  header.write(octal(0, 8), 329, 'ascii');
  header.write(octal(0, 8), 337, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 8), 148, 'ascii');
  return header;
}

/** `"<length> <key>=<value>\n"`, the length counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) {
    length = rest + String(length).length;
  }
  return Buffer.from(`${length} ${key}=${value}\n`, 'utf8');
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest ? [data, Buffer.alloc(BLOCK - rest)] : [data];
}

/**
 * The `.tar.gz` of a commit with its files under `top/`. `overrides`
 * replaces the content of some paths, or leaves them out (`null`): what
 * `export-subst`, `export-ignore` or a tampered archive would do.
 */
export function commitTarball(
  objects: GitObjectStore,
  commit: GitCommit,
  top: string,
  overrides: ReadonlyMap<string, Buffer | null> = new Map(),
): Buffer {
  const mtime = Math.floor(Date.parse(commit.committer.date) / 1000);
  const parts: Buffer[] = [];
  const comment = paxRecord('comment', commit.sha);
  parts.push(
    ustarHeader({
      name: 'pax_global_header',
      mode: 0o666,
      size: comment.length,
      mtime,
      type: 'g',
    }),
    ...padded(comment),
  );
  const add = (
    path: string,
    fields: { mode: number; type: string; linkname?: string },
    data = Buffer.alloc(0),
  ) => {
    let name = path;
    if (Buffer.byteLength(name) > 100) {
      const record = paxRecord('path', path);
      parts.push(
        ustarHeader({
          name: `${top}/pax_header`,
          mode: 0o666,
          size: record.length,
          mtime,
          type: 'x',
        }),
        ...padded(record),
      );
      name = Buffer.from(path).subarray(0, 100).toString('utf8');
    }
    parts.push(ustarHeader({ name, size: data.length, mtime, ...fields }));
    if (data.length) parts.push(...padded(data));
  };
  add(`${top}/`, { mode: 0o775, type: '5' });
  for (const entry of objects.flatten(commit.tree, true)) {
    const path = `${top}/${entry.path}`;
    if (entry.type !== 'blob') {
      // Folders, and submodules (an empty folder in an archive).
      add(`${path}/`, { mode: 0o775, type: '5' });
      continue;
    }
    const blob = objects.getBlob(entry.sha) ?? Buffer.alloc(0);
    if (entry.mode === '120000') {
      add(path, { mode: 0o777, type: '2', linkname: blob.toString('utf8') });
      continue;
    }
    const override = overrides.get(entry.path);
    if (override === null) continue;
    add(
      path,
      { mode: entry.mode === '100755' ? 0o775 : 0o664, type: '0' },
      override ?? blob,
    );
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  if (length % RECORD) parts.push(Buffer.alloc(RECORD - (length % RECORD)));
  return gzipSync(Buffer.concat(parts));
}
