// Makes a fresh clone runnable: installs npm packages when missing and, for browser
// tests, Debian's Chromium. Plain JS because nothing is installed yet when it runs.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needBrowser = !process.argv.includes('--no-browser');
const run = (cmd) => execSync(cmd, { stdio: 'inherit' });

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('[hafrec] installing npm packages (npm ci)…');
  run('npm ci');
}

const chromium = process.env.HAFREC_CHROMIUM ?? '/usr/bin/chromium';
if (needBrowser && !existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log("[hafrec] installing Debian's chromium for the browser tests…");
    run('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium');
  } else {
    console.error(`[hafrec] ${chromium} is missing: run "sudo apt-get install -y chromium" (or set HAFREC_CHROMIUM to a Chromium binary).`);
    process.exit(1);
  }
}

// The PyTorch trainer's tests (npm run test:py) use Debian's torch and pytest.
const python = '/usr/bin/python3';
const hasTorch = () => {
  try {
    execSync(`${python} -c "import torch, pytest"`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
if (needBrowser && !hasTorch()) {
  if (process.getuid?.() === 0) {
    console.log("[hafrec] installing Debian's python3-torch and python3-pytest for the PyTorch trainer's tests…");
    run('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-pytest');
  } else {
    console.error(`[hafrec] ${python} cannot import torch and pytest: run "sudo apt-get install -y python3-torch python3-pytest".`);
    process.exit(1);
  }
}
