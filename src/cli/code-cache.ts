import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { Module } from "node:module";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { Script } from "node:vm";

/**
 * Runs the CLI bundle (dist/bundle/main.cjs) through a V8 code cache: what Node 22's
 * `module.enableCompileCache()` does, built here because mlplat runs on Node 20, which has none.
 * Every start otherwise parses and compiles the bundle again (about 1 MB), and compiles each
 * function the command runs on first call; the cache holds that compiled bytecode. It saves about
 * 50 ms of every `validate` and `synth` (npm run bench); the run that writes it is as fast as
 * running without one.
 *
 * A cache entry is code, so it is treated as such:
 *  - it lives in the user's own cache folder ($MLPLAT_CACHE_DIR, else $XDG_CACHE_HOME/mlplat or
 *    ~/.cache/mlplat; %LOCALAPPDATA%\mlplat\cache on Windows), created 0700; a folder that is a
 *    link, not ours, or writable by others is not used at all;
 *  - an entry is read only if it is a regular file of ours with one name, not writable by
 *    others, opened without following links, and its CRC-32 matches (damaged bytes never run);
 *  - its name holds a hash of the text compiled (the bundle in its wrapper) with Node's version
 *    and architecture (V8 itself checks only its version, its flags and the source's length),
 *    and V8 still rejects data that does not fit, in which case the bundle is compiled as usual
 *    and the entry rewritten;
 *  - it is written once, after a command that succeeded (so that it holds the functions that
 *    ran), to a temporary file renamed into place: a concurrent run reads the old entry or the
 *    new one, never half of one. Entries of older bundles for the same command are removed then.
 * One entry per command, since each runs different functions. MLPLAT_NO_CODE_CACHE=1 turns it
 * off; MLPLAT_DEBUG_CODE_CACHE=1 says on stderr what happened. Any failure of the cache itself
 * only means the bundle is compiled as it would be without one.
 */

export type CacheUse = "off" | "none" | "used" | "rejected" | "unsafe";

/** The cache folder to use, or undefined when there is none that is safe. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MLPLAT_NO_CODE_CACHE === "1") return undefined;
  try {
    // Inside the try: os.homedir() throws when HOME is unset and the user has no passwd entry
    // (a container run with an arbitrary uid); that only means no cache.
    const base =
      env.MLPLAT_CACHE_DIR ||
      (process.platform === "win32"
        ? join(env.LOCALAPPDATA || join(homedir(), "AppData", "Local"), "mlplat", "cache")
        : // a relative XDG_CACHE_HOME is invalid (XDG Base Directory spec)
          join(env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), ".cache"), "mlplat"));
    mkdirSync(base, { recursive: true, mode: 0o700 });
    return isPrivate(lstatSync(base), true) ? base : undefined;
  } catch {
    return undefined;
  }
}

function isPrivate(st: { isDirectory(): boolean; isFile(): boolean; uid: number; mode: number; nlink: number }, dir: boolean): boolean {
  if (dir ? !st.isDirectory() : !st.isFile() || st.nlink !== 1) return false;
  if (process.platform === "win32") return true; // ACLs of the user's profile, no POSIX modes
  return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}

/** The command an entry is for: the first argument when it looks like a command name. */
export function commandOf(argv: readonly string[]): string {
  const c = argv[2] ?? "";
  return /^[a-z][a-z-]{0,30}$/.test(c) ? c : "-";
}

/** `<command>-<hash of the compiled text (the wrapped bundle), Node's version and architecture>.v8` */
export function entryName(source: string | readonly (string | Buffer)[], command: string): string {
  const hash = createHash("sha256").update(process.version).update("\0").update(process.arch).update("\0");
  for (const part of typeof source === "string" ? [source] : source) hash.update(part);
  return `${command}-${hash.digest("hex").slice(0, 32)}.v8`;
}

/**
 * CRC-32 (zlib's, ~7 GB/s here): made for catching damaged bytes, which is its use here. zlib has
 * crc32 from Node 20.15 only (package.json allows 20.0): before, 32 bits of a SHA-256 do the same
 * job (an entry is only ever read by the Node version that wrote it: its name holds the version).
 */
const crc = (data: Buffer | string): number =>
  typeof crc32 === "function" ? crc32(data) : createHash("sha256").update(data).digest().readUInt32LE(0);
const checksum = (data: Buffer): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crc(data));
  return b;
};

/**
 * An entry is a CRC-32 of V8's data, then the data: V8 does not checksum a code cache in release
 * builds, so damaged bytes (a disk error, a copied folder) would otherwise run. "damaged" when
 * the checksum does not match. (What an entry is *for* is pinned by its name, a SHA-256.)
 */
function readEntry(file: string): Buffer | "damaged" | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    if (!isPrivate(fstatSync(fd), false)) return undefined;
    const bytes = readFileSync(fd);
    const data = bytes.subarray(4);
    return bytes.length > 4 && checksum(data).equals(bytes.subarray(0, 4)) ? data : "damaged";
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function writeEntry(dir: string, name: string, data: Buffer): void {
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, Buffer.concat([checksum(data), data]), { mode: 0o600, flag: "wx" });
    renameSync(tmp, join(dir, name));
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return;
  }
  // Entries of older bundles for the same command are dead weight, and so is a temporary file a
  // run left when it was killed while writing (older than any write takes: an hour).
  const command = name.slice(0, name.lastIndexOf("-"));
  const kind = name.slice(name.indexOf(".")); // ".v8" or ".deps.v8"
  for (const other of readdirSync(dir)) {
    const older = other !== name && /^[a-z-]+-[0-9a-f]{32}(\.deps)?\.v8$/.test(other) && other.slice(0, other.lastIndexOf("-")) === command && other.slice(other.indexOf(".")) === kind;
    if (older || (/^\.[a-z-]+-[0-9a-f]{32}(\.deps)?\.v8\.\d+\.[0-9a-f]{8}\.tmp$/.test(other) && isStale(join(dir, other)))) {
      try {
        unlinkSync(join(dir, other));
      } catch {
        // another run removed it
      }
    }
  }
}

/** A regular file (not a link) last changed more than an hour ago. */
function isStale(file: string): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && Date.now() - st.mtimeMs > 3_600_000;
  } catch {
    return false;
  }
}

/**
 * A CommonJS module's text as compiled here: the wrapper on its own first line (lineOffset -1),
 * so traces keep the file's line numbers. Entries are named by exactly this text (V8 checks only
 * its length), so both compiles use this one wrapper.
 */
const WRAP_HEAD = "(function (exports, require, module, __filename, __dirname) {\n";
const WRAP_TAIL = "\n})";

/** Runs a script compiled from a wrapped module text as `mod`, as Node runs a CommonJS file. */
function runAsModule(script: Script, mod: Module, file: string): unknown {
  const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => unknown;
  return run.call(mod.exports, mod.exports, requireFor(mod), mod, file, dirname(file));
}

/**
 * Loads and runs `bundle` as the main CommonJS module, with its compiled code from the cache
 * when there is a usable entry. Returns what happened to the cache.
 */
export function runBundle(bundle: string, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): CacheUse {
  const bytes = readFileSync(bundle);
  const dir = cacheDir(env);
  // Named by the text compiled, hashed as the file's bytes between the wrapper's: the same UTF-8
  // text, without encoding 1 MB again.
  const wrapped = WRAP_HEAD + bytes.toString("utf8") + WRAP_TAIL;
  const name = entryName([WRAP_HEAD, bytes, WRAP_TAIL], commandOf(argv));
  const entry = dir ? readEntry(join(dir, name)) : undefined;
  const cached = entry instanceof Buffer ? entry : undefined;
  const script = new Script(wrapped, { filename: bundle, lineOffset: -1, cachedData: cached });
  const use: CacheUse = env.MLPLAT_NO_CODE_CACHE === "1" ? "off" : !dir ? "unsafe" : entry === "damaged" || script.cachedDataRejected ? "rejected" : !cached ? "none" : "used";
  if (env.MLPLAT_DEBUG_CODE_CACHE === "1") process.stderr.write(`mlplat: code cache ${use}${dir ? ` (${join(dir, name)})` : ""}\n`);
  if (dir) {
    const deps = cacheDependencies(dir, name.replace(/\.v8$/, ".deps.v8"), join(dirname(bundle), "..", "vendor"));
    // After the command, so that the functions it ran are compiled into the entry. A run that
    // loaded files the pack lacked (a synth of another cloud than the one that wrote the entry)
    // also ran code the entry lacks: the entry is rewritten with both (V8 keeps the functions
    // it read from the entry), so that each cloud's synth finds its own code compiled.
    process.on("exit", (code) => {
      if (code === 0 && (use !== "used" || deps.missed())) quietly(() => writeEntry(dir, name, script.createCachedData()));
    });
  }
  const mod = new Module(bundle, undefined) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  const cache = (Module as unknown as { _cache: Record<string, Module> })._cache;
  cache[bundle] = mod;
  runAsModule(script, mod, bundle);
  mod.loaded = true;
  return use;
}

/** What Node gives a CommonJS module as `require`. */
function requireFor(mod: Module): NodeJS.Require {
  const M = Module as unknown as {
    _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string;
    _cache: NodeJS.Require["cache"];
    _extensions: NodeJS.Require["extensions"];
  };
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = Object.assign((request: string, options?: { paths?: string[] }) => M._resolveFilename(request, mod, false, options), {
    paths: (request: string) => (Module as unknown as { _resolveLookupPaths(r: string, m: Module): string[] | null })._resolveLookupPaths(request, mod),
  });
  req.cache = M._cache;
  req.extensions = M._extensions;
  // As Node's makeRequireFunction: the process's main module (bin/mlplat.js), never `mod` itself;
  // cdktf's lib/private/fs.js runs as a zip CLI on argv[2] → argv[3] when it is `require.main`.
  req.main = (process as { mainModule?: Module }).mainModule;
  return req;
}

/**
 * The CommonJS files the bundle loads from disk at run time: cdktf and constructs from
 * node_modules and the minified provider submodules (dist/vendor) are compiled through the cache
 * too, all of one command's in one pack entry (`<command>-<hash>.deps.v8`: an index, then each
 * file's V8 data), so that a synth reads one file instead of a hundred. A file's data is used only
 * when the file has the length and CRC-32 it was made from (these files are the installed
 * packages' and mlplat's own: a check against change, not against an attacker, who could as well
 * rewrite node_modules). The pack is rewritten after a successful
 * run that compiled a file without data, keeping the other files' entries (another cloud's
 * providers). A file calling import() keeps Node's own compile (see scripts/bundle.mjs).
 */
function cacheDependencies(dir: string, name: string, vendor: string): { missed(): boolean } {
  const sep = process.platform === "win32" ? "\\" : "/";
  const eligible = (file: string) => file.startsWith(vendor + sep) || /[\\/]node_modules[\\/](cdktf|constructs)[\\/]/.test(file);
  const pack = readPack(readEntry(join(dir, name)));
  const compiled = new Map<string, { sha: string; script: Script }>();
  let missed = false;
  const proto = Module.prototype as unknown as { _compile(content: string, file: string, format?: string): unknown };
  const original = proto._compile;
  proto._compile = function (this: Module, content: string, file: string, format?: string) {
    // Node's own compile, with every argument (Node 20.19+ passes the format: "module" loads an
    // ES module), for an ES module, a file calling import(), and when source maps are on (only
    // Node's compile registers a file's source map for --enable-source-maps).
    if (!eligible(file) || format === "module" || process.sourceMapsEnabled || content.includes("import(")) {
      return original.apply(this, arguments as unknown as [string, string, string?]);
    }
    // The file as it was when its data was made: length and CRC-32 of the text compiled (V8
    // checks the length only).
    const wrapped = WRAP_HEAD + (content.startsWith("#!") ? "//" + content.slice(2) : content) + WRAP_TAIL;
    const sha = `${wrapped.length}:${crc(wrapped)}`;
    const hit = pack.get(file);
    const cachedData = hit?.sha === sha ? hit.data : undefined;
    const script = new Script(wrapped, { filename: file, lineOffset: -1, cachedData });
    if (!cachedData || script.cachedDataRejected) missed = true;
    compiled.set(file, { sha, script });
    return runAsModule(script, this, file);
  };
  process.on("exit", (code) => {
    if (code !== 0 || !missed) return;
    quietly(() => {
      const files: { file: string; sha: string; data: Buffer }[] = [];
      for (const [file, { sha, data }] of pack) if (!compiled.has(file)) files.push({ file, sha, data });
      for (const [file, { sha, script }] of compiled) files.push({ file, sha, data: script.createCachedData() });
      writeEntry(dir, name, writePack(files));
    });
  });
  return { missed: () => missed };
}

/** index length (4 bytes), the index (JSON: file → [sha, offset, length]), then the data. */
function writePack(files: readonly { file: string; sha: string; data: Buffer }[]): Buffer {
  const index: Record<string, [string, number, number]> = {};
  let offset = 0;
  for (const f of files) {
    index[f.file] = [f.sha, offset, f.data.length];
    offset += f.data.length;
  }
  const head = Buffer.from(JSON.stringify(index));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  return Buffer.concat([len, head, ...files.map((f) => f.data)]);
}

function readPack(bytes: Buffer | "damaged" | undefined): Map<string, { sha: string; data: Buffer }> {
  const out = new Map<string, { sha: string; data: Buffer }>();
  if (!(bytes instanceof Buffer) || bytes.length < 4) return out;
  try {
    const len = bytes.readUInt32LE(0);
    const index = JSON.parse(bytes.subarray(4, 4 + len).toString("utf8")) as Record<string, [string, number, number]>;
    const base = 4 + len;
    for (const [file, [sha, offset, length]] of Object.entries(index)) {
      if (base + offset + length <= bytes.length) out.set(file, { sha, data: bytes.subarray(base + offset, base + offset + length) });
    }
  } catch {
    out.clear(); // unreadable: every file is compiled as usual and the pack rewritten
  }
  return out;
}

/** A cache that cannot be written is no cache: the command's own result and exit code stand. */
function quietly(write: () => void): void {
  try {
    write();
  } catch {
    // nothing to report: the next run compiles as usual
  }
}
