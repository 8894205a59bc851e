// Runs the Meilisearch client tests (see run.sh): indexes corpus/ into a
// temporary directory, starts helpdex-serve on a free port with an agent
// and an internal token, runs clients.mjs and instantsearch.mjs against
// it, stops it by PID (a clean exit - under ASan, no leaks - counts as one
// more check) and prints "meili: N passed, M failed".
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync,
         writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const build = process.env.HDX_BUILD || join(repo, "build");
const tmp = mkdtempSync(join(tmpdir(), "hdx-meili."));
const AGENT = "meili-agent-token-0123456789";
const INTERNAL = "meili-internal-token-0123456789";
let passed = 0, failed = 0;

function finish(msg) {
  if (msg) {
    console.log(`meili: ${msg}`);
    failed++;
  }
  rmSync(tmp, { recursive: true, force: true });
  console.log(`meili: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const idx = spawnSync(join(build, "helpdex-index"),
                      ["--corpus", join(repo, "corpus"), "--db", join(tmp, "index")],
                      { encoding: "utf8" });
if (idx.status !== 0)
  finish(`indexing failed: ${idx.error || idx.stderr}`);
writeFileSync(join(tmp, "tokens"), `${AGENT} agent meili-tests\n` +
              `${INTERNAL} internal meili-tests\n`);
chmodSync(join(tmp, "tokens"), 0o600);
const portFile = join(tmp, "port");
const log = [];
const serve = spawn(join(build, "helpdex-serve"),
                    ["--db", join(tmp, "index"), "--port", "0", "--port-file", portFile,
                     "--tokens", join(tmp, "tokens")], { stdio: ["ignore", "pipe", "pipe"] });
serve.stdout.on("data", (d) => log.push(String(d)));
serve.stderr.on("data", (d) => log.push(String(d)));
const exited = new Promise((ok) => serve.on("exit", (code, sig) => ok({ code, sig })));

let url = null;
for (let i = 0; i < 100 && !url; i++) {
  if (serve.exitCode !== null)
    finish(`helpdex-serve exited: ${log.join("")}`);
  const port = existsSync(portFile) ? readFileSync(portFile, "utf8").trim() : "";
  if (port) {
    const u = `http://127.0.0.1:${port}`;
    url = await fetch(u + "/healthz").then((r) => (r.ok ? u : null), () => null);
  }
  if (!url)
    await new Promise((ok) => setTimeout(ok, 100));
}
if (!url) {
  serve.kill("SIGTERM");
  finish("helpdex-serve did not become ready");
}

// Run one test file; add up the counts of its summary line.
function runTests(file, env) {
  const r = spawnSync("node", [join(here, file)], {
    encoding: "utf8", env: { ...process.env, ...env }, timeout: 300000 });
  const out = (r.stdout || "") + (r.stderr || "");
  const m = out.match(/^[a-z]+: (\d+) passed, (\d+) failed$/m);
  process.stdout.write(out.replace(/^[a-z]+: \d+ passed, \d+ failed\n?$/m, ""));
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  } else {
    failed++;
  }
  if (r.status !== 0 && !(m && Number(m[2]) > 0))
    failed++;
}

mkdirSync(join(here, "artifacts"), { recursive: true });
runTests("clients.mjs", { HDX_MEILI: url + "/meili", HDX_TOKEN: AGENT,
                          HDX_INTERNAL_TOKEN: INTERNAL });
runTests("instantsearch.mjs", { HDX_URL: url, ARTIFACTS: join(here, "artifacts") });

process.kill(serve.pid, "SIGTERM");
const { code, sig } = await exited;
if (code === 0) {
  passed++;
} else {
  console.log(`meili: helpdex-serve exited with ${code ?? sig}\n` +
              log.join("").split("\n").slice(-30).join("\n"));
  failed++;
}
finish();
