import { InputError } from '@backstage/errors';
import { Document, Scalar, YAMLMap, isMap, isScalar } from 'yaml';
import {
  chooseOutput,
  describeNode,
  findPair,
  lineOf,
  parseYaml,
  renderScalar,
  rootMap,
  showValue,
  splice,
} from './yamlSource';

/**
 * The Helm chart every database folder deploys.
 *
 * @public
 */
export const DATABASE_HELM_CHART = 'helm/idp-postgresql';

/**
 * What `application.yaml` says about a folder.
 *
 * @public
 */
export interface ApplicationYamlInput {
  /** Application name, the folder name. */
  name: string;
  /** Defaults to the name. */
  description?: string;
  /** Omitted from the file when not given. */
  slackChannel?: string;
  /** Chart version, written as a quoted string. */
  chartVersion: string;
}

// SemVer-like, as Helm chart versions are; no spaces, quotes or newlines.
const CHART_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Checks a chart version: letters, digits, `.`, `+`, `_`, `-`, at most 64
 * characters. Throws `InputError`.
 *
 * @public
 */
export function validateChartVersion(chartVersion: unknown): string {
  if (typeof chartVersion !== 'string' || !CHART_VERSION.test(chartVersion)) {
    throw new InputError(
      `Invalid chart version ${showValue(
        chartVersion,
      )}: use a version such as 1.0.1 (letters, digits, '.', '+', '_', '-')`,
    );
  }
  return chartVersion;
}

function checkText(
  field: string,
  value: unknown,
  maxLength: number,
  allowNewlines: boolean,
): void {
  if (value === undefined) {
    return;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`The ${field} must be a non-empty string`);
  }
  if (Array.from(value).length > maxLength) {
    throw new InputError(`The ${field} is longer than ${maxLength} characters`);
  }
  const withoutNewlines = allowNewlines ? value.replace(/\n/g, '') : value;
  if (CONTROL_CHARACTERS.test(withoutNewlines)) {
    throw new InputError(
      `The ${field} ${showValue(value)} contains control characters`,
    );
  }
}

/**
 * Renders a new folder's `application.yaml` (ArgoCD deploys the chart):
 *
 * ```yaml
 * apiVersion: v2
 * name: my-db
 * description: my-db
 * version: 0.1.0
 * slackChannel: my-slack-channel
 * helm:
 *   chart: helm/idp-postgresql
 *   chartVersion: "1.0.1"
 * ```
 *
 * @public
 */
export function renderApplicationYaml(input: ApplicationYamlInput): string {
  if (input.name === undefined) {
    throw new InputError('The application name is required');
  }
  checkText('application name', input.name, 253, false);
  checkText('description', input.description, 1000, true);
  checkText('Slack channel', input.slackChannel, 80, false);
  const chartVersion = new Scalar(validateChartVersion(input.chartVersion));
  chartVersion.type = 'QUOTE_DOUBLE';

  const doc = new Document({});
  const root = doc.contents as YAMLMap;
  root.set('apiVersion', 'v2');
  root.set('name', input.name);
  root.set('description', input.description ?? input.name);
  root.set('version', '0.1.0');
  if (input.slackChannel !== undefined) {
    root.set('slackChannel', input.slackChannel);
  }
  const helm = new YAMLMap();
  helm.set('chart', DATABASE_HELM_CHART);
  helm.set('chartVersion', chartVersion);
  root.set('helm', helm);
  return chooseOutput(undefined, doc);
}

function findChartVersion(content: string, path: string) {
  const parsed = parseYaml(content, path);
  const root = rootMap(parsed);
  const helmPair = findPair(root, 'helm');
  const helm = helmPair?.value;
  if (helm !== undefined && helm !== null && !isMap(helm)) {
    const empty = isScalar(helm) && helm.value === null;
    if (!empty) {
      throw new InputError(
        `${lineOf(parsed, helm)}: helm must be a mapping, found ${describeNode(
          helm,
        )}`,
      );
    }
  }
  const versionNode = isMap(helm)
    ? findPair(helm, 'chartVersion')?.value
    : undefined;
  if (
    versionNode !== undefined &&
    versionNode !== null &&
    !isScalar(versionNode)
  ) {
    throw new InputError(
      `${lineOf(
        parsed,
        versionNode,
      )}: helm.chartVersion must be a string, found ${describeNode(
        versionNode,
      )}`,
    );
  }
  return { parsed, versionNode: versionNode as Scalar | undefined | null };
}

/**
 * The chart version an `application.yaml` deploys, `undefined` when it sets
 * none. Throws `InputError` when the file is malformed.
 *
 * @public
 */
export function readApplicationChartVersion(
  content: string,
  path: string,
): string | undefined {
  const { versionNode } = findChartVersion(content, path);
  const value = versionNode?.value;
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * Sets `helm.chartVersion` (a quoted string) in an `application.yaml`,
 * keeping everything else. Returns the content unchanged when it already
 * deploys that version. Throws `InputError` when the file is malformed.
 *
 * @public
 */
export function updateApplicationChartVersion(
  content: string,
  chartVersion: string,
  path: string,
): string {
  validateChartVersion(chartVersion);
  const { parsed, versionNode } = findChartVersion(content, path);
  if (
    isScalar(versionNode) &&
    typeof versionNode.value === 'string' &&
    versionNode.value === chartVersion
  ) {
    return content;
  }

  const value = new Scalar(chartVersion);
  value.type = 'QUOTE_DOUBLE';
  const edited: Document = parseYaml(content, path).doc;
  if (edited.contents === null || !isMap(edited.contents)) {
    edited.contents = edited.createNode({}) as YAMLMap;
  }
  const helm = edited.get('helm', true);
  if (isMap(helm)) {
    helm.set('chartVersion', value);
  } else {
    const map = new YAMLMap();
    map.set('chart', DATABASE_HELM_CHART);
    map.set('chartVersion', value);
    edited.set('helm', map);
  }

  let spliced: string | undefined;
  if (isScalar(versionNode) && versionNode.range && versionNode.source !== '') {
    spliced = splice(
      parsed.source,
      versionNode.range[0],
      versionNode.range[1],
      renderScalar(chartVersion, 'QUOTE_DOUBLE'),
    );
  }
  return chooseOutput(spliced, edited);
}
