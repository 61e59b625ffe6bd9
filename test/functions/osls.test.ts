/**
 * The real deployment tooling, offline: `osls package` builds the three bundles and the CloudFormation
 * template (checked here, and the status bundle run on its own against a sandbox), then
 * serverless-offline serves the routes over HTTP. Both share the `.esbuild` work folder, so they live in
 * one file and run one after the other.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_TIMEOUT_SECONDS, readConfig } from '../../functions/config.js';
import { signGithub, signOts } from '../../functions/signature.js';
import { signSlack } from '../../functions/signature-slack.js';
import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/types.js';
import { type LocalHistory, startLocalHistory } from '../../scripts/local-store.js';
import { ensurePortFree, freePort } from '../../scripts/processes.js';
import { lambdaContext, sampleEvent, statusReads } from './helpers.js';
import { readZip } from './zip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const OSLS = require.resolve('osls/bin/serverless.js');
type TargetParams = {
  targets?: string;
  region?: string;
  domain?: string;
  onetimeHost?: string;
  allowHttp?: string;
};
type ResolveVariable = (name: string) => Promise<unknown>;
const ALARMS = require(join(ROOT, 'functions/deploy/alarms.cjs')) as ((variables: {
  resolveVariable: ResolveVariable;
}) => Promise<Template>) & {
  targetNames: (params: TargetParams) => string[];
};

/** The environment for osls: no OTS_* from the shell, no AWS credentials of any kind. */
function oslsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(OTS_|ONETIME_|POWERTOOLS_|AWS_(ACCESS|SECRET|SESSION|PROFILE))/.test(key)) env[key] = value;
  }
  return { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [OSLS, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The Slack function's ARN with CloudFormation's own Fn::Sub placeholders (escaped here). */
const SLACK_FUNCTION_ARN = `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:onetime-kit-dev-slack`;

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, whose shape the assertions check.
type Json = any;
type Resource = { Type: string; Condition?: string; Properties: Json };
type Template = { Resources: Record<string, Resource> };

/** The chunks an entry imports, statically or dynamically, and theirs in turn. */
function reachableChunks(files: Map<string, Buffer>, entry: string): Set<string> {
  const reached = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (reached.has(file)) continue;
    reached.add(file);
    const code = files.get(file)?.toString('utf8') ?? '';
    for (const match of code.matchAll(/(?:from|import\(?)\s*"\.\/([\w.-]+\.mjs)"/g)) {
      pending.push(`${dirname(file)}/${match[1]}`);
    }
  }
  reached.delete(entry);
  return reached;
}

describe('osls package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onetime-kit-package-'));
  let template: Template;
  let sandbox: Sandbox;
  const params = [
    '--param=targets=eu,secrets.example.com',
    '--param=tokenParameter=/onetime-kit/token',
    '--param=webhookSecretParameter=onetime-kit-webhook',
    '--param=standardWebhookSecretParameter=/onetime-kit/standard-webhook-secret',
    '--param=slackSigningSecretParameter=/onetime-kit/slack-signing-secret',
    '--param=alarmEmail=ops@example.com',
    '--param=username=ops@example.com',
  ];

  const resourcesOfType = (type: string) =>
    Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

  beforeAll(async () => {
    // A build folder left by a killed serverless-offline would leak old chunks into the zips.
    rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
    const started = Date.now();
    const { code, output } = await run(['package', '--package', dir, ...params], oslsEnv());
    console.info(`osls package took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(code, output).toBe(0);
    template = JSON.parse(
      readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
    sandbox = await startSandbox();
  }, 240_000);

  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('defines the four functions on nodejs24.x, arm64, with their handlers', () => {
    const functions: Record<string, Json> = Object.fromEntries(
      resourcesOfType('AWS::Lambda::Function').map(([, r]) => [r.Properties.Handler as string, r.Properties]),
    );
    expect(Object.keys(functions).sort()).toEqual([
      'functions/scheduled.handler',
      'functions/slack.handler',
      'functions/status.handler',
      'functions/webhook.handler',
    ]);
    for (const properties of Object.values(functions)) {
      expect(properties.Runtime).toBe('nodejs24.x');
      expect(properties.Architectures).toEqual(['arm64']);
      const variables = properties.Environment.Variables as Record<string, string>;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe('OnetimeSecret');
      expect(variables.OTS_TARGETS).toBe('eu,secrets.example.com');
      expect(variables.OTS_TOKEN_PARAMETER).toBe('/onetime-kit/token');
      // Secrets are never baked into the template: only parameter names are.
      expect(variables).not.toHaveProperty('OTS_TOKEN');
      expect(variables).not.toHaveProperty('OTS_WEBHOOK_SECRET');
    }
    expect(functions['functions/webhook.handler']?.Environment.Variables.OTS_WEBHOOK_SECRET_PARAMETER).toBe(
      'onetime-kit-webhook',
    );
    // Each function is told only its own secrets' parameter names.
    expect(functions['functions/slack.handler']?.Environment.Variables).toMatchObject({
      OTS_SLACK_SIGNING_SECRET_PARAMETER: '/onetime-kit/slack-signing-secret',
      OTS_SLACK_RESPONSE: 'ephemeral',
    });
    expect(functions['functions/slack.handler']?.Environment.Variables).not.toHaveProperty(
      'OTS_WEBHOOK_SECRET_PARAMETER',
    );
    expect(functions['functions/webhook.handler']?.Environment.Variables).not.toHaveProperty(
      'OTS_SLACK_SIGNING_SECRET_PARAMETER',
    );
  });

  it('routes the status, page, history, feed, webhook and Slack routes on the HTTP API', () => {
    const routes = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual([
      'GET /',
      'GET /history',
      'GET /history/{target}',
      'GET /incidents.atom',
      'GET /status',
      'GET /status/{target}',
      'POST /slack',
      'POST /webhook',
    ]);
  });

  it('schedules the check every 5 minutes', () => {
    const rules = resourcesOfType('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.[1].Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.stringify(rules[0]?.[1].Properties.Targets)).toContain('ScheduledLambdaFunction');
  });

  it('has one alarm on Up per target, to an SNS topic with an optional e-mail subscription', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    expect(
      alarms.map((a) => a.Dimensions.find((d: { Name: string }) => d.Name === 'Target').Value).sort(),
    ).toEqual(['eu', 'secrets.example.com']);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: 'OnetimeSecret',
        MetricName: 'Up',
        ComparisonOperator: 'LessThanThreshold',
        // Up is the confirmed state (the scheduled function re-checks first): one period is enough.
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
      });
      expect(alarm.Dimensions).toContainEqual({ Name: 'service', Value: 'onetime-kit' });
      expect(alarm.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    }
    expect(template.Resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
    const subscription = template.Resources.AlarmEmailSubscription;
    expect(subscription).toMatchObject({ Type: 'AWS::SNS::Subscription', Condition: 'HasAlarmEmail' });
    expect(subscription?.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('chooses and names alarm targets exactly as the functions do', () => {
    const cases: TargetParams[] = [
      {},
      { targets: 'all' },
      { targets: 'EU, us https://eu.onetimesecret.com/api' },
      {
        targets: 'onetimesecret.com secrets.example.com/api http://127.0.0.1:7143',
        domain: 'https://ots.example.org:8443',
      },
      { domain: 'secrets.example.com' },
      { region: 'NZ' },
      { region: 'uk', domain: 'secrets.example.com' },
      { onetimeHost: 'https://ca.onetimesecret.com/api/v2' },
      { onetimeHost: 'https://secrets.example.com' },
      { targets: 'us', region: 'eu', onetimeHost: 'https://ca.onetimesecret.com' },
      { region: 'eu', onetimeHost: 'https://ca.onetimesecret.com' },
      { targets: 'eu http://ots:3000', allowHttp: 'true' },
    ];
    for (const params of cases) {
      const env = {
        OTS_TARGETS: params.targets,
        OTS_REGION: params.region,
        OTS_DOMAIN: params.domain,
        ONETIME_HOST: params.onetimeHost,
        OTS_ALLOW_HTTP: params.allowHttp,
      };
      const functions = readConfig(env).targets.map((t) => t.name);
      expect(ALARMS.targetNames(params), JSON.stringify(params)).toEqual(functions);
    }
  });

  it('refuses to package targets the functions would refuse, naming the parameter and its variable', async () => {
    const params: Record<string, unknown> = { targets: 'eu http://ots:3000', allowHttp: 'false' };
    const resolveVariable: ResolveVariable = async (name) => params[name.replace(/^param:/, '')];
    await expect(ALARMS({ resolveVariable })).rejects.toThrow(
      /^OTS_TARGETS .*not a loopback host.* \(the targets parameter, which the functions get as OTS_TARGETS\)$/,
    );
    params.allowHttp = 'true';
    const { Resources } = await ALARMS({ resolveVariable });
    expect(Object.keys(Resources)).toEqual(['UpAlarmEu', 'UpAlarmOts3000']);
  });

  it('alarms on missing data only while the schedule runs', () => {
    for (const [, alarm] of resourcesOfType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.TreatMissingData).toBe('breaching');
    }
  });

  it('gives the functions the timeout config.ts fits OTS_TIMEOUT_MS to', () => {
    const timeouts = Object.fromEntries(
      resourcesOfType('AWS::Lambda::Function').map(([id, r]) => [id, r.Properties.Timeout as number]),
    );
    expect(timeouts).toMatchObject({
      StatusLambdaFunction: FUNCTION_TIMEOUT_SECONDS,
      WebhookLambdaFunction: FUNCTION_TIMEOUT_SECONDS,
      SlackLambdaFunction: FUNCTION_TIMEOUT_SECONDS,
    });
    expect(timeouts.ScheduledLambdaFunction).toBeGreaterThanOrEqual(FUNCTION_TIMEOUT_SECONDS);
  });

  const policiesOf = (role: string) =>
    resourcesOfType('AWS::IAM::Policy').filter(([, policy]) =>
      (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === role),
    );
  const statementsOf = (role: string): Json[] => [
    ...(template.Resources[role]?.Properties.Policies ?? []).flatMap(
      (policy: Json) => policy.PolicyDocument.Statement,
    ),
    ...policiesOf(role).flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement),
  ];
  const ssmArns = (role: string) =>
    statementsOf(role)
      .filter((statement) => statement.Action === 'ssm:GetParameter')
      .map((statement) => JSON.stringify(statement.Resource));

  it('runs the webhook and the scheduled function under their own roles, status under the framework role', () => {
    const roles = Object.fromEntries(
      resourcesOfType('AWS::Lambda::Function').map(([id, r]) => [id, r.Properties.Role]),
    );
    expect(roles).toEqual({
      StatusLambdaFunction: { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] },
      ScheduledLambdaFunction: { 'Fn::GetAtt': ['ScheduledRole', 'Arn'] },
      WebhookLambdaFunction: { 'Fn::GetAtt': ['WebhookRole', 'Arn'] },
      SlackLambdaFunction: { 'Fn::GetAtt': ['SlackRole', 'Arn'] },
    });
    for (const role of ['WebhookRole', 'SlackRole']) {
      const trust = template.Resources[role]?.Properties.AssumeRolePolicyDocument.Statement;
      expect(trust).toEqual([
        { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      ]);
    }
  });

  it('lets only the webhook role read the webhook secret; both read the token, nothing else', () => {
    const token = /:parameter\/onetime-kit\/token"/;
    const webhookSecret = /:parameter\/onetime-kit-webhook"/;
    const shared = ssmArns('IamRoleLambdaExecution');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(token);
    const webhook = ssmArns('WebhookRole');
    const standardSecret = /:parameter\/onetime-kit\/standard-webhook-secret"/;
    const slackSecret = /:parameter\/onetime-kit\/slack-signing-secret"/;
    expect(webhook).toHaveLength(3);
    expect(webhook.some((arn) => token.test(arn))).toBe(true);
    expect(webhook.some((arn) => webhookSecret.test(arn))).toBe(true);
    expect(webhook.some((arn) => standardSecret.test(arn))).toBe(true);
    const slack = ssmArns('SlackRole');
    expect(slack).toHaveLength(2);
    expect(slack.some((arn) => token.test(arn))).toBe(true);
    expect(slack.some((arn) => slackSecret.test(arn))).toBe(true);
    for (const arn of [...shared, ...webhook, ...slack]) expect(arn).not.toContain('*');
    expect(JSON.stringify(statementsOf('IamRoleLambdaExecution'))).not.toMatch(
      /onetime-kit-webhook|standard-webhook|slack-signing/,
    );
    expect(JSON.stringify(statementsOf('WebhookRole'))).not.toContain('slack-signing');
    expect(JSON.stringify(statementsOf('SlackRole'))).not.toMatch(/onetime-kit-webhook|standard-webhook/);
    expect(template.Resources.SsmSlackSigningSecretReadPolicy?.Condition).toBe(
      'HasSlackSigningSecretParameter',
    );
    expect(template.Resources.SsmStandardWebhookSecretReadPolicy?.Condition).toBe(
      'HasStandardWebhookSecretParameter',
    );
    // Each read is granted only when its parameter is named.
    expect(template.Resources.SsmTokenReadPolicy?.Condition).toBe('HasTokenParameter');
    expect(template.Resources.SsmWebhookSecretReadPolicy?.Condition).toBe('HasWebhookSecretParameter');
  });

  it('lets the webhook role write its own log group only, and grants KMS to both roles only with a key', () => {
    const webhookStatements = statementsOf('WebhookRole').filter((s) => !/^(ssm|kms):/.test(s.Action));
    expect(webhookStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['WebhookLogGroup', 'Arn'] },
      },
    ]);
    expect(template.Resources.WebhookLogGroup?.Properties.LogGroupName).toBe(
      '/aws/lambda/onetime-kit-dev-webhook',
    );
    const kms = template.Resources.KmsDecryptPolicy;
    expect(kms?.Condition).toBe('HasKmsKey');
    expect(kms?.Properties.Roles).toEqual([
      { Ref: 'IamRoleLambdaExecution' },
      { Ref: 'WebhookRole' },
      { Ref: 'SlackRole' },
      { Ref: 'ScheduledRole' },
    ]);
    // The Slack role: its own log group, invoking itself (the late answer), reading the table, nothing else.
    expect(statementsOf('SlackRole').filter((s) => !/^(ssm|kms):/.test(s.Action))).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': ['SlackLogGroup', 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: {
          'Fn::Sub': SLACK_FUNCTION_ARN,
        },
      },
      // Fresh stored results answer within Slack's 3 s: one read action, on the history table only.
      {
        Effect: 'Allow',
        Action: 'dynamodb:BatchGetItem',
        Resource: { 'Fn::GetAtt': ['HistoryTable', 'Arn'] },
      },
    ]);
    expect(template.Resources.SlackLambdaFunction?.Properties.FunctionName).toBe('onetime-kit-dev-slack');
    // A late Slack answer retried minutes later is worthless: Lambda must not retry the self-invocation.
    const invokeConfigs = resourcesOfType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(invokeConfigs).toEqual([
      expect.objectContaining({ FunctionName: { Ref: 'SlackLambdaFunction' }, MaximumRetryAttempts: 0 }),
    ]);
    // The framework's own inline policy grants logs only.
    const role = JSON.stringify(template.Resources.IamRoleLambdaExecution?.Properties.Policies);
    expect(role).toContain('logs:PutLogEvents');
    expect(role).not.toMatch(/ssm:|kms:/);
  });

  it('defines the history table: on-demand, point-in-time recovery, TTL on expiresAt, pk/sk', () => {
    const table = template.Resources.HistoryTable;
    expect(table?.Type).toBe('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      TableName: 'onetime-kit-dev-history',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    const env = template.Resources.StatusLambdaFunction?.Properties.Environment.Variables;
    expect(env.OTS_HISTORY_TABLE).toBe('onetime-kit-dev-history');
  });

  it('lets the scheduled role write the table, the status role only read it, and neither scan', () => {
    const dynamo = (role: string) =>
      statementsOf(role)
        .filter((s) => [s.Action].flat().some((action: string) => action.startsWith('dynamodb:')))
        .map((s) => ({ actions: [s.Action].flat().sort(), resource: s.Resource }));
    const table = { 'Fn::GetAtt': ['HistoryTable', 'Arn'] };
    expect(dynamo('IamRoleLambdaExecution')).toEqual([
      { actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'], resource: table },
    ]);
    const scheduled = dynamo('ScheduledRole');
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]?.resource).toEqual(table);
    expect(scheduled[0]?.actions).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
    expect(dynamo('WebhookRole')).toEqual([]);
    expect(JSON.stringify(template.Resources)).not.toMatch(/dynamodb:(Scan|\*)|dynamodb:Delete/);
  });

  it('keeps logs for 14 days', () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup').map(([, r]) => r.Properties.RetentionInDays);
    expect(groups).toEqual([14, 14, 14, 14]);
  });

  it('builds one small ESM bundle per function, without the AWS SDK or undici', () => {
    for (const name of ['status', 'webhook', 'scheduled', 'slack']) {
      const zipPath = join(dir, `${name}.zip`);
      const files = readZip(readFileSync(zipPath));
      const entry = files.get(`functions/${name}.mjs`);
      expect(entry, `${name}.zip has functions/${name}.mjs`).toBeDefined();
      const code = entry!.toString('utf8');
      expect(code.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
      expect(code).not.toMatch(/from\s*"@aws-sdk\//); // SSM client only in the lazily loaded chunk
      expect([...files.keys()].some((file) => file.includes('node_modules'))).toBe(false);
      // The SSM client's chunk, loaded only when a parameter is configured: the entry reaches one copy,
      // and every chunk it reaches is in the zip. (serverless-esbuild builds the functions one by one
      // into one folder and zips all of it, so a zip also carries chunks that only another function's
      // build reaches, when the builds differ: webhook and slack bundle CommonJS code, the others not.)
      const reached = reachableChunks(files, `functions/${name}.mjs`);
      expect([...reached].filter((file) => /^functions\/ssm-\w+\.mjs$/.test(file))).toHaveLength(1);
      for (const file of reached) expect(files.has(file), `${name}.zip has ${file}`).toBe(true);
      // The functions send with the runtime's fetch (onetime-kit/fetch): no chunk carries the undici
      // package (its HTTP parser, llhttp, is in every build of it), and no source map lists it.
      for (const [file, data] of files) {
        if (file.endsWith('.mjs')) expect(data.toString('utf8'), file).not.toContain('llhttp');
        if (file.endsWith('.map')) expect(data.toString('utf8'), file).not.toContain('node_modules/undici/');
      }
      console.info(`${name}.zip: ${(statSync(zipPath).size / 1024).toFixed(0)} KiB`);
      expect(statSync(zipPath).size, `${name}.zip`).toBeLessThan(200 * 1024);
    }
  });

  it('the packaged status bundle runs on its own and answers nominal from the sandbox', async () => {
    const out = mkdtempSync(join(tmpdir(), 'onetime-kit-bundle-'));
    try {
      for (const [file, data] of readZip(readFileSync(join(dir, 'status.zip')))) {
        mkdirSync(dirname(join(out, file)), { recursive: true });
        writeFileSync(join(out, file), data);
      }
      const saved = { ...process.env };
      Object.assign(process.env, { OTS_TARGETS: sandbox.url, POWERTOOLS_DEV: 'true' });
      try {
        const bundle = (await import(pathToFileURL(join(out, 'functions/status.mjs')).href)) as {
          handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
        };
        const result = await bundle.handler(sampleEvent('http-api-status'), lambdaContext());
        expect(result.statusCode).toBe(200);
        expect(JSON.parse(result.body).state).toBe('nominal');
      } finally {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('osls print (the resolved configuration, no build)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the resolved serverless.yml, whose shape the assertions check.
  let config: any;

  beforeAll(async () => {
    const env = oslsEnv({ OTS_REGION: 'nz', ONETIME_HOST: 'https://ca.onetimesecret.com' });
    const { code, output } = await run(['print', '--format', 'json', '--param=scheduleEnabled=false'], env);
    expect(code, output).toBe(0);
    config = JSON.parse(output.slice(output.indexOf('{')));
  }, 60_000);

  const alarms = () =>
    Object.values(config.resources.Resources as Record<string, Resource>).filter(
      (resource) => resource.Type === 'AWS::CloudWatch::Alarm',
    );

  it('with the schedule paused, the alarms do not treat missing data as breaching', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.Properties.TreatMissingData).toBe('missing');
  });

  it('passes OTS_REGION and ONETIME_HOST from the shell, and alarms on the target they choose', () => {
    expect(config.provider.environment).toMatchObject({
      OTS_TARGETS: '',
      OTS_REGION: 'nz',
      ONETIME_HOST: 'https://ca.onetimesecret.com',
    });
    expect(alarms().map((a) => a.Properties.Dimensions[1].Value)).toEqual(['nz']);
  });
});

describe('serverless-offline', () => {
  const SECRET = 'offline-test-webhook-secret';
  const TOKEN = 'offline-test-token-s3cr3t';
  const SLACK_SECRET = 'offline-test-slack-signing-secret';
  let sandbox: Sandbox;
  /** Stands in for Slack's response_url (Slack itself cannot be reached from a test). */
  let standIn: Server;
  let standInOrigin: string;
  const slackPosts: { path: string; body: string }[] = [];
  let history: LocalHistory;
  let child: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ accounts: [{ username: 'ops@example.com', token: TOKEN }] });
    standIn = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        slackPosts.push({ path: request.url ?? '', body });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    standInOrigin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    // The functions' history table (serverless.yml sets OTS_HISTORY_TABLE): dynalite on loopback, so
    // no call ever leaves the machine.
    history = await startLocalHistory({});
    const [httpPort, lambdaPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
    base = `http://127.0.0.1:${httpPort}`;
    const args = ['offline', 'start', '--host', '127.0.0.1', '--httpPort', String(httpPort)];
    args.push(
      '--lambdaPort',
      String(lambdaPort),
      '--noPrependStageInUrl',
      '--localEnvironment',
      '--noSponsor',
    );
    args.push('--param=scheduleEnabled=false');
    const started = Date.now();
    child = spawn(process.execPath, [OSLS, ...args], {
      cwd: ROOT,
      detached: true, // its own process group, so afterAll can stop it and its workers together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: oslsEnv({
        OTS_TARGETS: sandbox.url,
        OTS_USERNAME: 'ops@example.com',
        OTS_TOKEN: TOKEN,
        OTS_WEBHOOK_SECRET: SECRET,
        OTS_SLACK_SIGNING_SECRET: SLACK_SECRET,
        OTS_SLACK_TEST_RESPONSE_ORIGIN: standInOrigin,
        // The late Slack answer invokes the function through serverless-offline's Lambda Invoke API,
        // with the real AWS SDK; it needs credentials of some kind, which never leave loopback.
        AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${lambdaPort}`,
        AWS_ACCESS_KEY_ID: 'offline',
        AWS_SECRET_ACCESS_KEY: 'offline',
        ...history.env,
      }),
    });
    await new Promise<void>((resolve, reject) => {
      const watch = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server ready')) resolve();
      };
      child.stdout?.on('data', watch);
      child.stderr?.on('data', watch);
      child.once('exit', (code) => reject(new Error(`serverless-offline exited with ${code}:\n${output}`)));
    });
    console.info(`serverless-offline was ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 240_000);

  afterAll(async () => {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    await sandbox?.stop();
    await new Promise((resolve) => (standIn ? standIn.close(resolve) : resolve(undefined)));
    await history?.store.stop();
    rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
  });

  it('GET /status answers nominal for the sandbox', async () => {
    const response = await fetch(`${base}/status`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=30');
    const body = (await response.json()) as {
      state: string;
      requestId: string;
      results: { target: string }[];
    };
    expect(body.state).toBe('nominal');
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
    expect(body.results.map((r) => r.target)).toEqual([new URL(sandbox.url).host]);
  });

  it('GET /status/{target} answers for a configured target and 404 for any other', async () => {
    const one = await fetch(`${base}/status/${encodeURIComponent(new URL(sandbox.url).host)}?format=badge`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ schemaVersion: 1, message: 'nominal', color: 'brightgreen' });
    sandbox.resetStats();
    const other = await fetch(`${base}/status/eu`);
    expect(other.status).toBe(404);
    expect(sandbox.requestLog).toHaveLength(0);
  });

  it('POST /webhook runs the check when signed, 401 when not', async () => {
    sandbox.resetStats();
    const body = '{"source":"offline-test"}';
    const signed = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signGithub(SECRET, body) },
      body,
    });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as { state: string }).state).toBe('nominal');
    expect(statusReads(sandbox.requestLog)).toBe(1);

    const timestamped = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: { 'x-ots-signature': signOts(SECRET, body, Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(timestamped.status).toBe(200);

    // No body at all (serverless-offline passes it as null).
    const empty = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: { 'x-ots-signature': signOts(SECRET, '', Math.floor(Date.now() / 1000)) },
    });
    expect(empty.status).toBe(200);

    const unsigned = await fetch(`${base}/webhook`, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    const wrong = await fetch(`${base}/webhook`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': signGithub('wrong', body) },
      body,
    });
    expect(wrong.status).toBe(401);
  });

  it('POST /slack: a signed slash command is acknowledged, then its Block Kit answer is posted by a self-invocation', async () => {
    sandbox.resetStats();
    const command = (text: string) => {
      const body = new URLSearchParams({
        command: '/ots-status',
        text,
        response_url: `${standInOrigin}/commands/T1/2/offline-response-token`,
        trigger_id: String(Math.random()),
      }).toString();
      const t = Math.floor(Date.now() / 1000);
      return fetch(`${base}/slack`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-signature': signSlack(SLACK_SECRET, body, t),
          'x-slack-request-timestamp': String(t),
        },
        body,
      });
    };
    const sent = Date.now();
    const first = await command('');
    const acknowledged = Date.now();
    expect(first.status).toBe(200);
    expect(((await first.json()) as { text: string }).text).toMatch(/^Checking /);
    for (let i = 0; i < 150 && slackPosts.length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    // Reported, not asserted (timings belong in bench/): Slack's budget for the acknowledgement is 3 s.
    console.info(
      `slash command acknowledged after ${acknowledged - sent} ms, answer posted within ${Date.now() - sent} ms`,
    );
    expect(slackPosts.map((post) => post.path)).toEqual(['/commands/T1/2/offline-response-token']);
    const late = JSON.parse(slackPosts[0]!.body) as {
      response_type: string;
      text: string;
      blocks: { type: string }[];
    };
    expect(late.response_type).toBe('ephemeral');
    expect(late.text).toMatch(/^Onetime Secret status: nominal/);
    expect(late.blocks.map((block) => block.type)).toEqual(['section', 'section', 'context']);
    expect(statusReads(sandbox.requestLog)).toBe(1);

    // A name that is not configured: a polite answer, and nothing is checked.
    const unknown = await command('eu');
    expect(((await unknown.json()) as { text: string }).text).toMatch(/^Sorry/);
    const forged = await fetch(`${base}/slack`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': signGithub(SECRET, 'text=') },
      body: 'text=',
    });
    expect(forged.status).toBe(401);
    expect(statusReads(sandbox.requestLog)).toBe(1);
    expect(slackPosts).toHaveLength(1);
  }, 30_000);

  it('printed no token, webhook secret, Slack signing secret or Basic value', () => {
    const basic = Buffer.from(`ops@example.com:${TOKEN}`).toString('base64');
    expect(output).toContain('Status answered'); // the handlers' logs are in this output
    for (const needle of [TOKEN, SECRET, SLACK_SECRET, basic, 'offline-response-token']) {
      expect(output).not.toContain(needle);
    }
  });
});

describe('npm start (scripts/start.ts, the whole local stack)', () => {
  const USER_SECRET = 'users-own-webhook-secret-4f1c';
  let child: ChildProcess;
  let httpPort: number;
  let output = '';

  beforeAll(async () => {
    rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
    httpPort = await freePort('127.0.0.1');
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: oslsEnv({ PORT: String(httpPort), SANDBOX_PORT: '0', OTS_WEBHOOK_SECRET: USER_SECRET }),
    });
    await new Promise<void>((resolve, reject) => {
      const watch = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops both.')) resolve();
      };
      child.stdout?.on('data', watch);
      child.stderr?.on('data', watch);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
  }, 240_000);

  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(join(ROOT, '.esbuild'), { recursive: true, force: true });
  });

  it('serves /status and prints no signature made with the user’s own secret', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/status`);
    expect(response.status).toBe(200);
    expect(output).toContain('openssl dgst -sha256');
    expect(output).not.toContain(USER_SECRET);
    expect(output).not.toMatch(/sha256=[0-9a-f]{64}|v1=[0-9a-f]{64}/);
  });

  it('stops on SIGHUP with 129, and osls goes with it', async () => {
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGHUP');
    // Unhandled, SIGHUP would end it by the signal, leaving osls behind. (The second-signal path is
    // tested in start.test.ts, with a child slow enough to stop that the order is certain.)
    expect(await exited).toEqual({ code: 129, signal: null });
    // The osls process group was killed with it: its port is free again.
    let free = false;
    for (let i = 0; i < 50 && !free; i += 1) {
      free = await ensurePortFree(httpPort, '127.0.0.1', 'PORT').then(
        () => true,
        () => false,
      );
      if (!free) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(free).toBe(true);
  }, 30_000);
});
