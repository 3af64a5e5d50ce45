import { useState } from 'react';
import { act, fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import {
  collisionProblem,
  ValidateDatabaseResponse,
} from '@dbaas/plugin-dbaas-common';
import { DbaasApi, dbaasApiRef } from '../../api/DbaasApi';
import { DbaasDatabaseNamePicker } from './DbaasDatabaseNamePicker';
import type {
  DbaasDatabaseNamePickerProps,
  DbaasDatabaseNamePickerUiOptions,
} from './schema';
import { NAME_CHECK_DEBOUNCE_MS } from './useDatabaseNameCheck';

function mockDbaasApi() {
  return {
    health: jest.fn(),
    validateDatabase: jest.fn<
      ReturnType<DbaasApi['validateDatabase']>,
      Parameters<DbaasApi['validateDatabase']>
    >(),
  };
}

/** Holds the field's value the way the scaffolder form does. */
function FormHarness(props: {
  otherFields: Record<string, unknown>;
  uiOptions?: DbaasDatabaseNamePickerUiOptions;
  rawErrors?: string[];
}) {
  const [name, setName] = useState<string | undefined>();
  const fieldProps = {
    name: 'name',
    schema: { type: 'string', title: 'Database name' },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    idSchema: { $id: 'root_name' },
    formData: name,
    formContext: { formData: { ...props.otherFields, name } },
    onChange: (value: string | undefined) => setName(value),
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    required: true,
    rawErrors: props.rawErrors ?? [],
  } as unknown as DbaasDatabaseNamePickerProps;
  return <DbaasDatabaseNamePicker {...fieldProps} />;
}

async function renderPicker(
  dbaasApi: ReturnType<typeof mockDbaasApi>,
  options: {
    otherFields?: Record<string, unknown>;
    uiOptions?: DbaasDatabaseNamePickerUiOptions;
    rawErrors?: string[];
  } = {},
) {
  renderInTestApp(
    <FormHarness
      otherFields={options.otherFields ?? { namespace: 'team-a' }}
      uiOptions={options.uiOptions}
      rawErrors={options.rawErrors}
    />,
    { apis: [[dbaasApiRef, dbaasApi]] },
  );
  return screen.findByRole('textbox', { name: /database name/i });
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

async function advancePastDebounce() {
  await advance(NAME_CHECK_DEBOUNCE_MS);
}

/** Sets the field's value as one edit, the way a paste or a keystroke does. */
function enter(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

describe('DbaasDatabaseNamePicker', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('shows a broken naming rule at once, as typed, without asking the backend', async () => {
    const dbaasApi = mockDbaasApi();
    const input = await renderPicker(dbaasApi);

    enter(input, 'My_DB');

    expect(input).toHaveValue('My_DB');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.getByText(
        /“My_DB” may only contain lowercase letters, digits and '-'/,
      ),
    ).toBeInTheDocument();

    await advancePastDebounce();
    await advancePastDebounce();
    expect(dbaasApi.validateDatabase).not.toHaveBeenCalled();
  });

  it('asks the backend once typing pauses, with the namespace from the form, and shows its problems', async () => {
    const dbaasApi = mockDbaasApi();
    const collision = collisionProblem(
      { namespace: 'team-a', name: 'orders' },
      { namespace: 'team', name: 'a-orders' },
    );
    dbaasApi.validateDatabase.mockResolvedValue({
      valid: false,
      problems: [
        collision,
        {
          field: 'namespace',
          rule: 'reserved',
          message: '`team-a` is a reserved namespace',
        },
      ],
    });
    const input = await renderPicker(dbaasApi);

    enter(input, 'ord');
    await advance(300);
    enter(input, 'orders');
    await advance(300);
    expect(dbaasApi.validateDatabase).not.toHaveBeenCalled();
    expect(
      screen.getByRole('progressbar', { name: 'Checking availability' }),
    ).toBeInTheDocument();

    await advance(100);

    expect(dbaasApi.validateDatabase).toHaveBeenCalledTimes(1);
    expect(dbaasApi.validateDatabase).toHaveBeenCalledWith(
      { namespace: 'team-a', name: 'orders' },
      { signal: expect.any(AbortSignal) },
    );
    expect(
      await screen.findByText(
        '“team-a/orders” would create database “team-a-orders”, which “team/a-orders” already uses',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('“team-a” is a reserved namespace'),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('confirms a name the backend accepts', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.validateDatabase.mockResolvedValue({ valid: true, problems: [] });
    const input = await renderPicker(dbaasApi);

    enter(input, 'orders');
    await advancePastDebounce();

    expect(
      await screen.findByText('✓ “orders” is available in “team-a”'),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'false');
  });

  it('reads the namespace from the field named by ui:options.namespaceField', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.validateDatabase.mockResolvedValue({ valid: true, problems: [] });
    const input = await renderPicker(dbaasApi, {
      otherFields: { namespace: 'ignored', tenant: 'team-b' },
      uiOptions: { namespaceField: 'tenant' },
    });

    enter(input, 'orders');
    await advancePastDebounce();

    expect(dbaasApi.validateDatabase).toHaveBeenCalledWith(
      { namespace: 'team-b', name: 'orders' },
      expect.anything(),
    );
    expect(
      await screen.findByText('✓ “orders” is available in “team-b”'),
    ).toBeInTheDocument();
  });

  it('aborts the previous check when the name changes again', async () => {
    const dbaasApi = mockDbaasApi();
    const signals: AbortSignal[] = [];
    dbaasApi.validateDatabase.mockImplementation((request, options) => {
      signals.push(options!.signal!);
      return request.name === 'ord'
        ? new Promise<ValidateDatabaseResponse>(() => {})
        : Promise.resolve({ valid: true, problems: [] });
    });
    const input = await renderPicker(dbaasApi);

    enter(input, 'ord');
    await advancePastDebounce();
    expect(dbaasApi.validateDatabase).toHaveBeenCalledTimes(1);
    expect(signals[0].aborted).toBe(false);

    enter(input, 'orders');
    expect(signals[0].aborted).toBe(true);
    await advancePastDebounce();

    expect(dbaasApi.validateDatabase).toHaveBeenCalledTimes(2);
    expect(dbaasApi.validateDatabase).toHaveBeenLastCalledWith(
      { namespace: 'team-a', name: 'orders' },
      expect.anything(),
    );
    expect(
      await screen.findByText('✓ “orders” is available in “team-a”'),
    ).toBeInTheDocument();
  });

  it('shows why the check failed and keeps the field usable', async () => {
    const dbaasApi = mockDbaasApi();
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'connect ECONNREFUSED' },
        response: { statusCode: 503 },
      }),
      {
        status: 503,
        statusText: 'Service Unavailable',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    dbaasApi.validateDatabase.mockRejectedValue(
      await ResponseError.fromResponse(response),
    );
    const input = await renderPicker(dbaasApi);

    enter(input, 'orders');
    await advancePastDebounce();

    expect(
      await screen.findByText(
        'Could not check whether “orders” is available: connect ECONNREFUSED. Next checks it again.',
      ),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'false');

    enter(input, 'Orders');
    expect(screen.getByText(/“Orders” may only contain/)).toBeInTheDocument();
  });

  it('waits for a namespace before asking the backend', async () => {
    const dbaasApi = mockDbaasApi();
    const input = await renderPicker(dbaasApi, { otherFields: {} });

    enter(input, 'orders');
    await advancePastDebounce();

    expect(dbaasApi.validateDatabase).not.toHaveBeenCalled();
    expect(
      screen.getByText(
        'Choose a namespace to check whether “orders” is available',
      ),
    ).toBeInTheDocument();
  });

  it('checks the admin role length against the namespace in the browser', async () => {
    const dbaasApi = mockDbaasApi();
    const input = await renderPicker(dbaasApi, {
      otherFields: { namespace: 'a-very-long-tenant-namespace-name' },
    });

    enter(input, 'and-a-long-database-name-too');
    await advancePastDebounce();

    expect(
      screen.getByText(/over the 63-byte limit for PostgreSQL role names/),
    ).toBeInTheDocument();
    expect(dbaasApi.validateDatabase).not.toHaveBeenCalled();
  });

  it('shows a problem the last submit found and the live check finds once', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.validateDatabase.mockResolvedValue({
      valid: false,
      problems: [
        {
          field: 'name',
          rule: 'exists',
          message: '`team-a`/`orders` already exists: `defined on main`',
        },
      ],
    });
    const input = await renderPicker(dbaasApi, {
      rawErrors: ['“team-a/orders” already exists: “defined on main”'],
    });

    enter(input, 'orders');
    await advancePastDebounce();

    expect(
      await screen.findAllByText(
        '“team-a/orders” already exists: “defined on main”',
      ),
    ).toHaveLength(1);
    expect(document.body).not.toHaveTextContent('`');
  });

  it('shows the errors of the last submit while the field is empty', async () => {
    const dbaasApi = mockDbaasApi();
    const input = await renderPicker(dbaasApi, {
      rawErrors: ['must have required property name'],
    });

    expect(
      screen.getByText('must have required property name'),
    ).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });
});
