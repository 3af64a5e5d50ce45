/*
 * Debian's Chromium, headless, as every browser script here starts it
 * (the browser test, the tab benchmark and the adopter check). Without the
 * background-networking flags Chromium keeps reaching for Google's hosts,
 * which this machine's closed network refuses.
 */
import { chromium, type Browser } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.DBAAS_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
