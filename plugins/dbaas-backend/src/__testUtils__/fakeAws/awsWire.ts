import { randomUUID } from 'node:crypto';
import { ServerResponse } from 'node:http';

/** An AWS error as a fake service answers it: the code the SDK maps by. */
export class FakeAwsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** A list as the query protocol writes it: `<Name><Member>..</Member></Name>`. */
export class XmlList {
  constructor(readonly member: string, readonly items: unknown[]) {}
}

/**
 * `<Name>value</Name>` with the value escaped (objects field by field,
 * {@link XmlList}s with their member name); nothing for undefined.
 */
export function xmlElement(name: string, value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (value instanceof Date) {
    return `<${name}>${value.toISOString()}</${name}>`;
  }
  if (value instanceof XmlList) {
    return `<${name}>${value.items
      .map(item => xmlElement(value.member, item))
      .join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlElement(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** An answer of the query protocol (RDS): `<ActionResponse><ActionResult>`. */
export function sendQueryResult(
  res: ServerResponse,
  action: string,
  namespace: string,
  result: string,
) {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export function sendQueryError(
  res: ServerResponse,
  namespace: string,
  error: FakeAwsError,
) {
  res.writeHead(error.status, { 'content-type': 'text/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><ErrorResponse xmlns="${namespace}"><Error><Type>${
      error.status >= 500 ? 'Receiver' : 'Sender'
    }</Type><Code>${error.code}</Code><Message>${escapeXml(
      error.message,
    )}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

/** An answer of the JSON 1.1 protocol (Secrets Manager). */
export function sendJson(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

export function sendJsonError(res: ServerResponse, error: FakeAwsError) {
  res.writeHead(error.status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-errortype': error.code,
  });
  res.end(JSON.stringify({ __type: error.code, message: error.message }));
}

/**
 * The flat parameters of a query-protocol request, with the lists the SDK
 * writes as `Name.Member.1`, `Name.Member.1.Key` read back.
 */
export class QueryParams {
  constructor(readonly params: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.params.get(name) ?? undefined;
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '') {
      throw new FakeAwsError(
        'MissingParameter',
        `The request must contain the parameter ${name}`,
      );
    }
    return value;
  }

  date(name: string): Date | undefined {
    const value = this.get(name);
    if (value === undefined) {
      return undefined;
    }
    const parsed = Date.parse(value);
    if (!Number.isFinite(parsed)) {
      throw new FakeAwsError(
        'InvalidParameterValue',
        `Invalid timestamp for ${name}: ${value}`,
      );
    }
    return new Date(parsed);
  }

  number(name: string): number | undefined {
    const value = this.get(name);
    return value === undefined ? undefined : Number(value);
  }

  /** `Name.Member.N` values in order. */
  list(name: string, member: string): string[] {
    return this.#indexed(`${name}.${member}.`).map(([, v]) => v);
  }

  /** `Name.Member.N.Field` structures in order. */
  structures(name: string, member: string): Array<Record<string, string>> {
    const byIndex = new Map<number, Record<string, string>>();
    const prefix = `${name}.${member}.`;
    for (const [key, value] of this.params) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      const [index, field] = key.slice(prefix.length).split('.', 2);
      const entry = byIndex.get(Number(index)) ?? {};
      entry[field] = value;
      byIndex.set(Number(index), entry);
    }
    return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, e]) => e);
  }

  #indexed(prefix: string): Array<[number, string]> {
    return [...this.params]
      .filter(
        ([key]) =>
          key.startsWith(prefix) && /^\d+$/.test(key.slice(prefix.length)),
      )
      .map(([key, value]): [number, string] => [
        Number(key.slice(prefix.length)),
        value,
      ])
      .sort(([a], [b]) => a - b);
  }
}
