import * as dgram from "node:dgram";
import * as net from "node:net";
import type { PortForward } from "./vm-config";

// QEMU's own message for a taken port is "Could not set up host forwarding rule"; checking first
// lets the error say which port, which setting and what to do.

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket("udp4");
    socket.once("error", () => resolve(false));
    socket.bind({ address: "127.0.0.1", port, exclusive: true }, () =>
      socket.close(() => resolve(true)),
    );
  });
}

export async function busyPorts(sshPort: number, forwards: PortForward[]): Promise<string[]> {
  const problems: string[] = [];
  if (!(await tcpFree(sshPort)))
    problems.push(
      `sshPort: 127.0.0.1:${sshPort} is in use on this machine; choose another sshPort`,
    );
  for (const f of forwards) {
    const free = f.protocol === "udp" ? await udpFree(f.hostPort) : await tcpFree(f.hostPort);
    if (!free)
      problems.push(
        `containers: ${f.protocol} port 127.0.0.1:${f.hostPort} is in use on this machine; ` +
          "publish the container on another external port",
      );
  }
  return problems;
}
