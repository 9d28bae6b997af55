// Debian's Chromium (apt-get install chromium; Playwright's own download cannot reach its
// host here). As root it needs --no-sandbox; the fake media flags let a test feed the till's
// camera a video (see test/browser/support/camera.ts).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage'];
