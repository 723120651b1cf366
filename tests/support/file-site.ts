import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

// A stand-in for an image site on 127.0.0.1: serves the files of one directory, counts the
// requests, and stops when told (a test starts it and stops it).

export interface FileSite {
  url: string;
  /** The paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function serveDirectory(dir: string): Promise<FileSite> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    requests.push(`/${name}`);
    const file = path.join(dir, name);
    if (name.includes("/") || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, "Not Found").end();
      return;
    }
    res.writeHead(200, { "content-length": fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
