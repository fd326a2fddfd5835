import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config';
import { configProblems } from '../helpers/config-problems';

const WECOM = {
  WECOM_CORP_ID: 'ww1436e0e65a779aee',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 's',
  WECOM_TOKEN: 't',
  WECOM_ENCODING_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
};

describe('loadConfig', () => {
  it('runs on defaults with nothing set: embedded database, in-process state, no messenger', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      dataDir: './data',
      timeZone: 'Asia/Shanghai',
      cronEnabled: true,
    });
    expect(config.mongodbUri).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.wecom).toBeUndefined();
    expect(config.simulator).toBe(true);
    expect(config.assessment.weights).toEqual({ self: 0.15, supervisor: 0.85 });
  });

  it('starts the simulator only where no messenger is configured, and never in production', () => {
    expect(loadConfig(WECOM).simulator).toBe(false);
    expect(loadConfig({ SIMULATOR: 'off' }).simulator).toBe(false);
    const dingtalk = { DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's', DINGTALK_ROBOT_CODE: 'r' };
    expect(loadConfig(dingtalk).simulator).toBe(false);
    expect(loadConfig({ ...dingtalk, SIMULATOR: 'on' }).simulator).toBe(true);
    const production = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/k',
      REDIS_URL: 'redis://r',
    };
    expect(loadConfig(production).simulator).toBe(false);
    expect(configProblems({ ...production, SIMULATOR: 'on' })).toEqual([
      'SIMULATOR: cannot be on in production (it lets anyone speak as anyone)',
    ]);
    expect(configProblems({ ...WECOM, SIMULATOR: 'on' })).toEqual([
      'SIMULATOR: cannot be on while WECOM_* is set (the simulator plays WeCom)',
    ]);
    expect(configProblems({ SIMULATOR: 'maybe' })).toEqual(['SIMULATOR: must be auto, on or off']);
  });

  it('switches WeCom on when all its variables are set', () => {
    const config = loadConfig({ ...WECOM, WECOM_API_BASE: 'http://127.0.0.1:9999/cgi-bin/' });
    expect(config.wecom).toEqual({
      corpId: 'ww1436e0e65a779aee',
      agentId: 1000002,
      secret: 's',
      token: 't',
      encodingAesKey: WECOM.WECOM_ENCODING_AES_KEY,
      apiBase: 'http://127.0.0.1:9999/cgi-bin',
    });
  });

  it('reports every bad variable at once, one line each, naming it', () => {
    const found = configProblems({
      PORT: 'abc',
      TZ_ASSESSMENT: 'Mars/Olympus',
      CRON_ENABLED: 'maybe',
      MONGODB_URI: 'http://db',
      WECOM_CORP_ID: 'ww1',
      WECOM_ENCODING_AES_KEY: 'too-short',
    });
    expect(found).toEqual([
      'PORT: must be a number',
      'MONGODB_URI: must start with mongodb:// or mongodb+srv://',
      'TZ_ASSESSMENT: is not a known time zone',
      expect.stringMatching(/^CRON_ENABLED: /),
      'WECOM_ENCODING_AES_KEY: must be 43 characters of base64 (as shown in the WeCom admin console)',
      'WECOM_AGENT_ID: required when wecom is configured (WECOM_CORP_ID, WECOM_ENCODING_AES_KEY set)',
      'WECOM_SECRET: required when wecom is configured (WECOM_CORP_ID, WECOM_ENCODING_AES_KEY set)',
      'WECOM_TOKEN: required when wecom is configured (WECOM_CORP_ID, WECOM_ENCODING_AES_KEY set)',
    ]);
  });

  it('requires a real database and Redis in production', () => {
    expect(configProblems({ NODE_ENV: 'production' })).toEqual([
      'MONGODB_URI: required in production (the embedded database is for development)',
      'REDIS_URL: required in production (in-process state serves one instance only)',
    ]);
    const config = loadConfig({
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db/kaohe',
      REDIS_URL: 'redis://r:6379',
    });
    expect(config.env).toBe('production');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', MONGODB_URI: '', WECOM_CORP_ID: '' }).port).toBe(3000);
  });

  it('keeps the outbox lease at a minute unless told, within 1 s to 10 min', () => {
    expect(loadConfig({}).outboxLeaseMs).toBe(60_000);
    expect(loadConfig({ OUTBOX_LEASE_MS: '5000' }).outboxLeaseMs).toBe(5000);
    for (const bad of ['abc', '999', '600001'])
      expect(configProblems({ OUTBOX_LEASE_MS: bad })).toEqual([
        expect.stringMatching(/^OUTBOX_LEASE_MS: must be/),
      ]);
  });

  describe('the assessment file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kaohe-config-'));
    const write = (name: string, change: (a: Record<string, unknown>) => void) => {
      const base = JSON.parse(JSON.stringify(loadConfig({}).assessment)) as Record<string, unknown>;
      change(base);
      const file = path.join(dir, name);
      writeFileSync(file, JSON.stringify(base));
      return file;
    };

    it('refuses weights that do not sum to 1', () => {
      const file = write('weights.json', (a) => (a.weights = { self: 0.2, supervisor: 0.85 }));
      expect(configProblems({ ASSESSMENT_FILE: file })).toEqual([
        `ASSESSMENT_FILE ${file} weights: weights must sum to 1 (got 1.05)`,
      ]);
    });

    it('refuses max points that are not positive whole numbers, and bad cron lines', () => {
      const file = write('max.json', (a) => {
        const criteria = a.criteria as { max: number }[];
        criteria[0]!.max = 0;
        criteria[1]!.max = 7.5;
        (a.schedule as Record<string, string>).open = 'every day';
      });
      const found = configProblems({ ASSESSMENT_FILE: file });
      expect(found).toHaveLength(3);
      expect(found[0]).toMatch(/criteria\.0\.max: /);
      expect(found[1]).toMatch(/criteria\.1\.max: /);
      expect(found[2]).toMatch(/schedule\.open: not a valid cron expression/);
    });

    it('names a missing file', () => {
      expect(configProblems({ ASSESSMENT_FILE: '/nonexistent/form.json' })[0]).toMatch(
        /^ASSESSMENT_FILE: cannot read/,
      );
    });
  });
});
