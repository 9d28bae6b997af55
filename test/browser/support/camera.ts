// The till's camera in a test: a QR code's text drawn into a YUV4MPEG2 video (the format
// Chromium's fake capture device plays, in a loop), and a Chromium launched to use it as its
// camera, with the camera allowed. The till's real scanner (@zxing/browser) then decodes it.
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

const WIDTH = 640;
const HEIGHT = 480;
/** Video luma of white paper and of a printed module (BT.601 studio range). */
const WHITE = 235;
const BLACK = 16;
const QUIET_MODULES = 4;

/** One grey frame's luma plane with the QR code of `text` drawn in its middle. */
export function qrLuma(text: string, width = WIDTH, height = HEIGHT): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cells = modules.size + 2 * QUIET_MODULES;
  const scale = Math.floor((Math.min(width, height) * 0.9) / cells);
  if (scale < 2) throw new Error(`a ${modules.size}-module QR code does not fit in ${width}x${height}`);
  const left = Math.floor((width - cells * scale) / 2);
  const top = Math.floor((height - cells * scale) / 2);
  const luma = Buffer.alloc(width * height, WHITE);
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      const y0 = top + (row + QUIET_MODULES) * scale;
      const x0 = left + (column + QUIET_MODULES) * scale;
      for (let y = y0; y < y0 + scale; y++) luma.fill(BLACK, y * width + x0, y * width + x0 + scale);
    }
  }
  return luma;
}

/**
 * A .y4m file (YUV4MPEG2, 4:2:0, `frames` frames at 15 fps) showing the QR code of `text`,
 * still, in black on white; answers its path (in a fresh temporary directory).
 */
export function qrVideoFile(text: string, frames = 15): string {
  const luma = qrLuma(text);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F15:1 Ip A1:1 C420jpeg\n`);
  const path = join(mkdtempSync(join(tmpdir(), 'till-camera-')), 'qr.y4m');
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return path;
}

/** Chromium's flags for a fake camera playing `videoFile`, allowed without asking. */
export const fakeCameraArgs = (videoFile: string): string[] => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${videoFile}`,
];

/**
 * A Chromium of its own whose camera shows the QR code of `text` (the flags are per browser,
 * so each code needs its launch), and a context on the web gateway with the camera granted,
 * in Chinese and Shanghai time as the other tests. Close the browser when done.
 */
export async function browserWithQrCamera(text: string, baseURL: string | undefined = process.env.WEB_BASE_URL): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(qrVideoFile(text))] });
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['camera'] });
  return { browser, context };
}
