/**
 * A fake DingTalk directory on loopback, over real HTTP: oauth2/accessToken
 * and the old API's topapi/v2/department/get, department/listsub (one level),
 * user/list (cursor paging, pages capped at `pageSize` so tests cross a page)
 * and user/get (manager_userid, role_list), limited to the app's range the
 * way DingTalk limits them: manager_userid still names a manager outside it.
 * It records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { visibleDepartments, visiblePeople, type FakeCompany } from './directory-company';

type Json = Record<string, unknown>;

/** The running fake. */
export interface FakeDingtalkDirectory {
  /** Base URL for the client (it serves both api and oapi paths). */
  apiBase: string;
  /** Every request: path and JSON body. */
  requests: { path: string; body: Json }[];
  stop(): Promise<void>;
}

/** Serves `company` (read at each request, so tests may change it) to an app with these credentials. */
export async function startFakeDingtalkDirectory(
  company: FakeCompany,
  options: { appKey: string; appSecret: string; pageSize?: number },
): Promise<FakeDingtalkDirectory> {
  const token = 'fake-dt-directory-token';
  const pageSize = options.pageSize ?? 2;
  const requests: FakeDingtalkDirectory['requests'] = [];
  const ok = (result: unknown): Json => ({ errcode: 0, errmsg: 'ok', result });
  // The company's top department holds the visible ones even when it is not in the range itself.
  const reachable = () => new Set([1, ...visibleDepartments(company)]);

  const oapi: Record<string, (body: Json) => Json> = {
    '/topapi/v2/department/get': (body) => {
      const d = company.departments.find((x) => x.id === Number(body.dept_id));
      if (!d || !reachable().has(d.id)) return { errcode: 60003, errmsg: '部门不存在' };
      return ok({ dept_id: d.id, name: d.name, parent_id: d.parent ?? undefined });
    },
    '/topapi/v2/department/listsub': (body) => {
      const seen = visibleDepartments(company);
      return ok(
        company.departments
          .filter((d) => d.parent === Number(body.dept_id) && seen.has(d.id))
          .map((d) => ({ dept_id: d.id, name: d.name, parent_id: d.parent })),
      );
    },
    '/topapi/v2/user/list': (body) => {
      const id = Number(body.dept_id);
      const size = Math.min(Number(body.size ?? 100), 100, pageSize);
      const cursor = Number(body.cursor ?? 0);
      const seen = reachable();
      const all = visiblePeople(company).filter((p) => p.departments.includes(id));
      const list = all.slice(cursor, cursor + size).map((p) => ({
        userid: p.userid,
        name: p.name,
        job_number: p.jobNumber,
        dept_id_list: p.departments.filter((d) => seen.has(d)),
        active: true,
      }));
      const more = cursor + size < all.length;
      return ok({ has_more: more, ...(more && { next_cursor: cursor + size }), list });
    },
    '/topapi/v2/user/get': (body) => {
      const p = visiblePeople(company).find((x) => x.userid === body.userid);
      if (!p) return { errcode: 60121, errmsg: '找不到该用户' };
      return ok({
        userid: p.userid,
        name: p.name,
        job_number: p.jobNumber,
        dept_id_list: p.departments,
        ...(p.leader && { manager_userid: p.leader }),
        role_list: p.labels.map((name, i) => ({ id: i + 1, name, group_name: '考核' })),
      });
    },
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : {};
    requests.push({ path: url.pathname, body });
    let status = 200;
    let reply: Json;
    if (url.pathname === '/v1.0/oauth2/accessToken') {
      const good = body.appKey === options.appKey && body.appSecret === options.appSecret;
      [status, reply] = good
        ? [200, { accessToken: token, expireIn: 7200 }]
        : [400, { code: 'invalidClientIdOrSecret' }];
    } else if (!oapi[url.pathname]) [status, reply] = [404, { code: 'NotFound' }];
    else if (url.searchParams.get('access_token') !== token)
      reply = { errcode: 40014, errmsg: '不合法的access_token' };
    else reply = oapi[url.pathname]!(body);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  };

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
