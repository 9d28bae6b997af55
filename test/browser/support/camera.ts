// The till's camera in a test: a QR code's text drawn into a YUV4MPEG2 video (the format
// Chromium's fake capture device plays, in a loop), and a Chromium launched to use it as its
// camera, with the camera allowed. The till's real scanner (@zxing/browser) then decodes it.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryBitmap, HybridBinarizer, PlanarYUVLuminanceSource, QRCodeReader } from '@zxing/library';
import QRCode from 'qrcode';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium';

const WIDTH = 640;
const HEIGHT = 480;
/** Video luma of white paper and of a printed module (BT.601 studio range). */
const WHITE = 235;
const BLACK = 16;
const QUIET_MODULES = 4;
/**
 * The phone as a hand holds it: a few degrees this way and that. zxing (the till's decoder)
 * misreads a few in a hundred codes drawn perfectly square, at any size, its own encoder's
 * included; turned a little, nearly all of those read.
 */
const TILTS_DEGREES = [0, 3, -4, 6, -2];
const FRAMES_PER_TILT = 3;

/** One frame's luma plane: the QR code of `text`, tilted by `degrees`, in the middle of white. */
export function qrLuma(text: string, degrees = 0, width = WIDTH, height = HEIGHT): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const cells = modules.size + 2 * QUIET_MODULES;
  const scale = Math.floor((Math.min(width, height) * 0.85) / cells);
  if (scale < 2) throw new Error(`a ${modules.size}-module QR code does not fit in ${width}x${height}`);
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const luma = Buffer.alloc(width * height, WHITE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [dx, dy] = [x - width / 2, y - height / 2];
      const column = Math.floor((cos * dx + sin * dy) / scale + cells / 2) - QUIET_MODULES;
      const row = Math.floor((cos * dy - sin * dx) / scale + cells / 2) - QUIET_MODULES;
      if (row >= 0 && row < modules.size && column >= 0 && column < modules.size && modules.get(row, column)) luma[y * width + x] = BLACK;
    }
  }
  return luma;
}

/** How many of the video's tilts of this code zxing reads, in Node, as the till's scanner would read the frames. */
export function readableTilts(text: string): number {
  return TILTS_DEGREES.filter((degrees) => {
    const source = new PlanarYUVLuminanceSource(new Uint8ClampedArray(qrLuma(text, degrees)), WIDTH, HEIGHT, 0, 0, WIDTH, HEIGHT, false);
    try {
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText() === text;
    } catch {
      return false;
    }
  }).length;
}

/** A YUV4MPEG2 video (4:2:0, 15 fps) of these luma planes, each held FRAMES_PER_TILT frames. */
function y4m(planes: Buffer[]): Buffer {
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F15:1 Ip A1:1 C420jpeg\n`);
  const frames = planes.flatMap((luma) => Array.from({ length: FRAMES_PER_TILT }, () => Buffer.concat([Buffer.from('FRAME\n'), luma, chroma, chroma])));
  return Buffer.concat([header, ...frames]);
}

/**
 * Writes a .y4m file showing the QR code of `text` (null: a blank white page), black on white,
 * held a little this way and that, at `path` (a fresh temporary file when not given); answers
 * its path. Chromium plays it in a loop.
 */
export function qrVideoFile(text: string | null, path: string = join(mkdtempSync(join(tmpdir(), 'till-camera-')), 'qr.y4m')): string {
  const planes = text === null ? [Buffer.alloc(WIDTH * HEIGHT, WHITE)] : TILTS_DEGREES.map((degrees) => qrLuma(text, degrees));
  writeFileSync(path, y4m(planes));
  return path;
}

/** Chromium's flags for a fake camera playing `videoFile` (without one, Chromium's own moving pattern), allowed without asking. */
export const fakeCameraArgs = (videoFile: string | null): string[] => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  ...(videoFile === null ? [] : [`--use-file-for-fake-video-capture=${videoFile}`]),
];

export interface CameraBrowser {
  browser: Browser;
  /** On the web gateway, the camera granted, in Chinese and Shanghai time as the other tests. */
  context: BrowserContext;
  /**
   * Puts the QR code of `text` in front of the camera. Chromium reads the video file when a
   * page turns the camera on, so this is done before the scanner opens (and the code can be
   * asked for once the till is ready: a checkout code lives about 60 seconds).
   */
  show(text: string): void;
}

export interface CameraBrowserOptions {
  /** The code the camera shows from the start; show() changes it. */
  text?: string;
  /** false: no video file, Chromium's own moving pattern (no code in it). */
  videoFile?: boolean;
  baseURL?: string;
  /** A signed-in context's storageState(), to carry a till's session into the new browser. */
  storageState?: BrowserContextOptions['storageState'];
}

/**
 * A Chromium of its own whose camera is a video file the test writes (the flags are per
 * browser, so each test launches its own). Close the browser when done.
 */
export async function browserWithQrCamera(options: CameraBrowserOptions = {}): Promise<CameraBrowser> {
  const video = options.videoFile === false ? null : qrVideoFile(options.text ?? null);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(video)] });
  const context = await browser.newContext({
    baseURL: options.baseURL ?? process.env.WEB_BASE_URL,
    storageState: options.storageState,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    permissions: ['camera'],
  });
  return {
    browser,
    context,
    show: (text) => {
      if (video === null) throw new Error('this browser plays no video file');
      qrVideoFile(text, video);
    },
  };
}
