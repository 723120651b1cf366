// A stand-in TLS service under a cloud's real names, on a test guest: a CA made on the guest,
// trusted by the system store (update-ca-certificates) and, for a registry, by the engine
// (/etc/docker/certs.d), and the names pointed at 127.0.0.1 in /etc/hosts. Each setup has a
// tag; its teardown removes exactly what it added.

export interface TlsStandin {
  /** Root shell lines that make tls.crt/tls.key in `dir` and trust their CA. */
  up: string[];
  /** Root shell lines that undo `up`. */
  down: string[];
}

export function tlsStandin(
  tag: string,
  dir: string,
  names: string[],
  registry?: string,
): TlsStandin {
  const trusted = `/usr/local/share/ca-certificates/dockerhost-${tag}-standin.crt`;
  const mark = `# dockerhost ${tag} stand-in`;
  const engineCa = registry ? `/etc/docker/certs.d/${registry}` : undefined;
  const ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  return {
    up: [
      `cd ${dir}`,
      `openssl req -x509 ${ec} -days 2 -subj '/CN=dockerhost ${tag} stand-in CA' -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign' -keyout ca.key -out ca.crt 2>/dev/null`,
      `openssl req ${ec} -subj '/CN=${tag} stand-in' -keyout tls.key -out tls.csr 2>/dev/null`,
      `printf 'subjectAltName=${names.map((h) => `DNS:${h}`).join(",")}\\nextendedKeyUsage=serverAuth\\n' > tls.ext`,
      "openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile tls.ext -out tls.crt 2>/dev/null",
      `cp ca.crt ${trusted} && update-ca-certificates >/dev/null 2>&1`,
      ...(engineCa ? [`install -d ${engineCa} && cp ca.crt ${engineCa}/ca.crt`] : []),
      `echo '127.0.0.1 ${names.join(" ")} ${mark}' >> /etc/hosts`,
    ],
    down: [
      `sed -i '/${mark}/d' /etc/hosts`,
      `rm -rf ${trusted}${engineCa ? ` ${engineCa}` : ""}`,
      // Without --fresh: it drops the removed CA all the same, and rebuilds nothing else.
      "update-ca-certificates >/dev/null 2>&1 || true",
    ],
  };
}
