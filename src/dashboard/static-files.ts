import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

export interface StaticFile {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Its name carries a content hash (vite's assets/): cache it for good. */
  readonly immutable: boolean;
}

/**
 * The built page's files, by URL path ("/index.html", "/assets/index-3f2a.js"). Only the files
 * found when created are served, so no request path reaches the file system by itself.
 */
export class StaticFiles {
  private readonly paths = new Map<string, string>();

  constructor(readonly root: string | null) {
    if (root && existsSync(join(root, "index.html"))) {
      for (const file of walk(root)) {
        this.paths.set(`/${relative(root, file).split(sep).join("/")}`, file);
      }
    }
  }

  /** The page is built: index.html is there. */
  get built(): boolean {
    return this.paths.has("/index.html");
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  async get(path: string): Promise<StaticFile | null> {
    const file = this.paths.get(path);
    if (file === undefined) return null;
    const body = await readFile(file);
    return {
      body,
      contentType: CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      immutable: path.startsWith("/assets/"),
    };
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Where `npm run build` puts the page (dist/dashboard-web/), seen from this module in dist/ or,
 * when run from src/ (tests, tsx), from the repository; null when it is not built.
 */
export function defaultWebRoot(): string | null {
  const candidates = [
    new URL("../dashboard-web/", import.meta.url),
    new URL("../../dist/dashboard-web/", import.meta.url),
  ].map((url) => fileURLToPath(url));
  return candidates.find((dir) => existsSync(join(dir, "index.html"))) ?? null;
}
