import type { RestoreWindow } from '@dbaas/plugin-dbaas-common';

/**
 * A moment as a `datetime-local` input shows it, in UTC to the second
 * (`2026-03-04T02:15:07`): the dialog says UTC, as the restore window and
 * Aurora do, whatever the browser's zone.
 */
export function toUtcInputValue(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 19);
}

/** What a `datetime-local` input holds, read as UTC; undefined if invalid. */
export function fromUtcInputValue(value: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d+)?$/.exec(
    value.trim(),
  );
  if (!match) {
    return undefined;
  }
  const at = Date.parse(`${match[1]}${match[2] ?? ':00'}Z`);
  return Number.isFinite(at) ? new Date(at) : undefined;
}

/** `2026-03-04 02:15:07 UTC`, as the dialog names moments. */
export function formatUtcSecond(iso: string): string {
  return `${toUtcInputValue(iso).replace('T', ' ')} UTC`;
}

/**
 * The first whole second inside the window (AWS gives its earliest
 * restorable time with milliseconds; a request is to the second).
 */
export function earliestSecond(window: RestoreWindow): string {
  return new Date(
    Math.ceil(Date.parse(window.earliest) / 1000) * 1000,
  ).toISOString();
}

/**
 * Why a chosen moment cannot be asked for, or undefined. The server checks
 * again against the window as AWS reports it when the request is sent.
 */
export function pointInTimeProblem(
  value: string,
  window: RestoreWindow,
): string | undefined {
  const at = fromUtcInputValue(value);
  if (!at) {
    return 'Choose a date and a time (UTC), to the second';
  }
  const earliest = earliestSecond(window);
  if (
    at.getTime() < Date.parse(earliest) ||
    at.getTime() > Date.parse(window.latest)
  ) {
    return `Outside the restore window: ${formatUtcSecond(
      earliest,
    )} to ${formatUtcSecond(window.latest)}`;
  }
  return undefined;
}
