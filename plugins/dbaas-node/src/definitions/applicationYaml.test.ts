import { parseDocument } from 'yaml';
import {
  readApplicationChartVersion,
  renderApplicationYaml,
  updateApplicationChartVersion,
} from './applicationYaml';

const lines = (...content: string[]) => `${content.join('\n')}\n`;
const PATH = 'payments/ledger/application.yaml';

const DESIGN_EXAMPLE = lines(
  'apiVersion: v2',
  'name: my-db',
  'description: my-db',
  'version: 0.1.0',
  'slackChannel: my-slack-channel',
  'helm:',
  '  chart: helm/idp-postgresql',
  '  chartVersion: "1.0.1"',
);

describe('renderApplicationYaml', () => {
  it('renders exactly the documented format', () => {
    expect(
      renderApplicationYaml({
        name: 'my-db',
        slackChannel: 'my-slack-channel',
        chartVersion: '1.0.1',
      }),
    ).toBe(DESIGN_EXAMPLE);
  });

  it('uses the given description and leaves out a missing Slack channel', () => {
    expect(
      renderApplicationYaml({
        name: 'ledger',
        description: 'Ledger: balances & transfers',
        chartVersion: '2.3.0-rc.1',
      }),
    ).toBe(
      lines(
        'apiVersion: v2',
        'name: ledger',
        'description: "Ledger: balances & transfers"',
        'version: 0.1.0',
        'helm:',
        '  chart: helm/idp-postgresql',
        '  chartVersion: "2.3.0-rc.1"',
      ),
    );
  });

  it('quotes a chart version that would read as a number', () => {
    expect(renderApplicationYaml({ name: 'a', chartVersion: '1' })).toContain(
      '  chartVersion: "1"\n',
    );
  });

  it('keeps user text as plain values (no injected keys)', () => {
    const out = renderApplicationYaml({
      name: 'a',
      description: 'x\nhelm:\n  chart: evil',
      slackChannel: '#team: x',
      chartVersion: '1.0.0',
    });
    const data = parseDocument(out).toJS();
    expect(data.helm).toEqual({
      chart: 'helm/idp-postgresql',
      chartVersion: '1.0.0',
    });
    expect(data.description).toBe('x\nhelm:\n  chart: evil');
    expect(data.slackChannel).toBe('#team: x');
  });

  it.each([
    [{ name: 'a', chartVersion: '1.0\n' }],
    [{ name: 'a', chartVersion: '' }],
    [{ name: 'a', chartVersion: '"1"' }],
    [{ name: 'a', chartVersion: '1.0.0', slackChannel: 'a\nb' }],
    [{ name: 'a', chartVersion: '1.0.0', slackChannel: '' }],
    [{ name: '', chartVersion: '1.0.0' }],
  ])('refuses %j', input => {
    expect(() => renderApplicationYaml(input)).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});

describe('updateApplicationChartVersion', () => {
  it.each([
    [
      'the documented file',
      DESIGN_EXAMPLE,
      DESIGN_EXAMPLE.replace('"1.0.1"', '"1.2.0"'),
    ],
    [
      'a commented file with an unquoted version',
      lines(
        '# deployed by ArgoCD',
        'name: my-db   # app',
        'helm:',
        '  chart: helm/idp-postgresql',
        '  chartVersion: 1.0.1    # bump me',
        '  values: {}',
      ),
      lines(
        '# deployed by ArgoCD',
        'name: my-db   # app',
        'helm:',
        '  chart: helm/idp-postgresql',
        '  chartVersion: "1.2.0"    # bump me',
        '  values: {}',
      ),
    ],
    [
      'a file without helm',
      lines('name: my-db'),
      lines(
        'name: my-db',
        'helm:',
        '  chart: helm/idp-postgresql',
        '  chartVersion: "1.2.0"',
      ),
    ],
    [
      'a file at that version',
      DESIGN_EXAMPLE.replace('1.0.1', '1.2.0'),
      DESIGN_EXAMPLE.replace('1.0.1', '1.2.0'),
    ],
  ])('sets the version in %s', (_, content, expected) => {
    expect(updateApplicationChartVersion(content, '1.2.0', PATH)).toBe(
      expected,
    );
  });

  it.each([
    ['invalid YAML', 'helm: [\n'],
    ['helm as a list', 'helm: [a]\n'],
    ['chartVersion as a mapping', 'helm:\n  chartVersion: {a: 1}\n'],
    ['a list at the top', '- a\n'],
  ])('refuses %s with an InputError naming the file', (_, content) => {
    expect(() => updateApplicationChartVersion(content, '1.2.0', PATH)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(PATH),
      }),
    );
  });

  it('reads the version', () => {
    expect(readApplicationChartVersion(DESIGN_EXAMPLE, PATH)).toBe('1.0.1');
    expect(readApplicationChartVersion('name: a\n', PATH)).toBeUndefined();
  });
});
