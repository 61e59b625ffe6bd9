// One CloudWatch alarm per checked target, for serverless.yml (`resources: - ${file(...)}`).
// CloudFormation has no loop without a transform, so osls runs this at package time, offline. The
// targets are not chosen here: the `targets`, `region`, `domain`, `onetimeHost` and `allowHttp`
// parameters become the variables the functions get (OTS_TARGETS, ...), and functions/config-targets.ts
// itself reads them, by the core's precedence and naming (src/config/environment.ts). That TypeScript is
// compiled here in memory by esbuild (what serverless-esbuild builds the functions with) and run as CJS.
'use strict';

const { join } = require('node:path');

/** Each parameter and the variable the functions read it as (serverless.yml `provider.environment`). */
const VARIABLES = {
  targets: 'OTS_TARGETS',
  region: 'OTS_REGION',
  domain: 'OTS_DOMAIN',
  onetimeHost: 'ONETIME_HOST',
  allowHttp: 'OTS_ALLOW_HTTP',
};

let configTargets;

/** functions/config-targets.ts and the core it imports, bundled once into CommonJS and evaluated. */
function loadConfigTargets() {
  if (configTargets !== undefined) return configTargets;
  const { buildSync } = require('esbuild');
  const { outputFiles } = buildSync({
    entryPoints: [join(__dirname, '..', 'config-targets.ts')],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    write: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
  configTargets = module.exports;
  return configTargets;
}

/** The names of the targets the functions check with these parameters (as each result's `target`). */
function targetNames(params) {
  const env = {};
  for (const [param, variable] of Object.entries(VARIABLES)) {
    if (params[param] !== undefined && params[param] !== null) env[variable] = String(params[param]);
  }
  return loadConfigTargets()
    .readTargets(env)
    .map((target) => target.name);
}

/**
 * A bad value fails the package with the functions' own message, rather than deploying functions that
 * would refuse every invocation; the message names the variable, so the parameter is named beside it.
 */
function targetNamesOrExplain(params) {
  try {
    return targetNames(params);
  } catch (error) {
    const param = Object.keys(VARIABLES).find((name) => VARIABLES[name] === error.variable);
    if (param === undefined) throw error;
    throw new Error(
      `${error.message} (the ${param} parameter, which the functions get as ${error.variable})`,
    );
  }
}

function logicalId(name, taken) {
  const base = `UpAlarm${name.replace(/[^A-Za-z0-9]/g, '').replace(/^./, (c) => c.toUpperCase())}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}${n}`;
  taken.add(id);
  return id;
}

function alarm(name, service, scheduled) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      // Up is the target's confirmed state (functions/scheduled.ts): the scheduled function has already
      // re-checked and counted OTS_CONFIRM_CHECKS bad checks in a row, so one data point is enough.
      AlarmDescription: `Onetime Secret target ${name} is down (its confirmed state, after re-checks).`,
      Namespace: 'OnetimeSecret',
      MetricName: 'Up',
      // Powertools adds the `service` dimension to every metric: the alarm must name both.
      Dimensions: [
        { Name: 'service', Value: service },
        { Name: 'Target', Value: name },
      ],
      Statistic: 'Minimum',
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      // With the schedule on, no data means the check itself stopped: that is worth an alarm too. With
      // it paused (scheduleEnabled=false) there is no data by design: the alarm waits, it does not fire.
      TreatMissingData: scheduled ? 'breaching' : 'missing',
      AlarmActions: [{ Ref: 'AlarmTopic' }],
      OKActions: [{ Ref: 'AlarmTopic' }],
    },
  };
}

async function alarms({ resolveVariable }) {
  const params = {};
  for (const param of Object.keys(VARIABLES)) params[param] = await resolveVariable(`param:${param}`);
  const names = targetNamesOrExplain(params);
  const service = await resolveVariable('self:provider.environment.POWERTOOLS_SERVICE_NAME');
  // `--param=scheduleEnabled=false` arrives as a string, the default as a boolean.
  const scheduled = String(await resolveVariable('param:scheduleEnabled')).toLowerCase() !== 'false';
  const taken = new Set();
  const Resources = {};
  for (const name of names) Resources[logicalId(name, taken)] = alarm(name, service, scheduled);
  return { Resources };
}

module.exports = alarms;
module.exports.targetNames = targetNames;
