import { afterAll, describe, expect, it } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { composeServices } from "../../components/services/compose-app";
import { composeProject } from "../support/compose-project";
import { composeView } from "../../components/compose/compose-view";

// What `npm run render -- --compose <file>` prints: the specs as plain data, no secret shown.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhost-compose-view-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const project = (files: Record<string, string>) => composeProject(work, files);

describe("composeView", () => {
  it("prints the specs with secrets hidden and shipped files as paths, sizes and digests", () => {
    const file = project({
      ".env": "DB_PASSWORD=s3cret\n",
      "nginx.conf": "events {}\n",
      "db_password.txt": "s3cret\n",
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx:1.27",
        "    volumes: ['./nginx.conf:/etc/nginx/nginx.conf:ro']",
        "    secrets: [db_password]",
        "    environment:",
        "      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app",
        "      MODE: production",
        "secrets:",
        "  db_password:",
        "    file: ./db_password.txt",
      ].join("\n"),
    });
    const view = composeView(composeServices(file));
    expect(view).toStrictEqual({
      containers: [
        {
          name: "web",
          image: "nginx:1.27",
          env: { MODE: "production" },
          secretEnv: { DATABASE_URL: "[secret]" },
          volumes: [
            {
              containerPath: "/etc/nginx/nginx.conf",
              readOnly: true,
              files: {
                name: "files-nginx.conf",
                digest: expect.stringMatching(/^[0-9a-f]{16}$/),
                file: "nginx.conf",
                entries: [
                  {
                    path: "nginx.conf",
                    bytes: 10,
                    // printf 'events {}\n' | sha256sum
                    sha256: "b2496c33033eadfe85d1dcdfea8cb6af5fb63033d3fd08898a5fd76199aa5443",
                  },
                ],
              },
            },
            {
              containerPath: "/run/secrets/db_password",
              readOnly: true,
              files: {
                name: "secret-db_password",
                secret: true,
                file: "db_password",
                entries: [{ path: "db_password", bytes: 7 }],
              },
            },
          ],
        },
      ],
      networks: [],
      volumes: [],
    });
    expect(JSON.stringify(view)).not.toContain("s3cret");
  });
});
