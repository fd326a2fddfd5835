/**
 * A fake WeCom directory on loopback, over real HTTP: gettoken,
 * department/simplelist, department/get, user/list, tag/list and tag/get, all
 * limited to the app's visible range as WeCom limits them (direct_leader and
 * department list only what the app can see). It records every request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { visibleDepartments, visiblePeople, type FakeCompany } from './directory-company';

type Json = Record<string, unknown>;

/** The running fake. */
export interface FakeWecomDirectory {
  /** Base URL for the client, ending in /cgi-bin. */
  apiBase: string;
  /** Every request: method, path and query. */
  requests: { method: string; path: string; query: string }[];
  stop(): Promise<void>;
}

/** Serves `company` (read at each request, so tests may change it) to a client with `secret`. */
export async function startFakeWecomDirectory(
  company: FakeCompany,
  options: { corpId: string; secret: string },
): Promise<FakeWecomDirectory> {
  const token = 'fake-directory-token';
  const requests: FakeWecomDirectory['requests'] = [];
  const tagIds = () => [...new Set(company.people.flatMap((p) => p.labels))];

  const handlers: Record<string, (q: URLSearchParams) => Json> = {
    '/cgi-bin/gettoken': (q) =>
      q.get('corpid') === options.corpId && q.get('corpsecret') === options.secret
        ? { errcode: 0, access_token: token, expires_in: 7200 }
        : { errcode: 40001, errmsg: 'invalid credential' },
    '/cgi-bin/department/simplelist': () => {
      const seen = visibleDepartments(company);
      const department_id = company.departments
        .filter((d) => seen.has(d.id))
        .map((d) => ({ id: d.id, parentid: d.parent ?? 0, order: 0 }));
      return { errcode: 0, department_id };
    },
    '/cgi-bin/department/get': (q) => {
      const d = company.departments.find((x) => x.id === Number(q.get('id')));
      if (!d || !visibleDepartments(company).has(d.id))
        return { errcode: 60011, errmsg: 'no privilege' };
      return { errcode: 0, department: { id: d.id, name: d.name, parentid: d.parent ?? 0 } };
    },
    '/cgi-bin/user/list': (q) => {
      const id = Number(q.get('department_id'));
      const seen = visibleDepartments(company);
      if (!seen.has(id))
        return { errcode: 60011, errmsg: 'no privilege to access/modify contact/party/agent' };
      const inRange = new Set(visiblePeople(company).map((p) => p.userid));
      const userlist = visiblePeople(company)
        .filter((p) => p.departments.includes(id))
        .map((p) => ({
          userid: p.userid,
          name: p.name,
          department: p.departments.filter((d) => seen.has(d)),
          ...(p.main && seen.has(p.main) && { main_department: p.main }),
          direct_leader: p.leader && inRange.has(p.leader) ? [p.leader] : [],
          status: p.status ?? 1,
        }));
      return { errcode: 0, userlist };
    },
    '/cgi-bin/tag/list': () => ({
      errcode: 0,
      taglist: tagIds().map((tagname, i) => ({ tagid: i + 1, tagname })),
    }),
    '/cgi-bin/tag/get': (q) => {
      const tagname = tagIds()[Number(q.get('tagid')) - 1];
      if (!tagname) return { errcode: 40068, errmsg: 'invalid tagid' };
      const userlist = visiblePeople(company)
        .filter((p) => p.labels.includes(tagname))
        .map((p) => ({ userid: p.userid, name: p.name }));
      return { errcode: 0, tagname, userlist, partylist: [] };
    },
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = new URLSearchParams(url.search);
    query.delete('access_token');
    requests.push({ method: req.method ?? '', path: url.pathname, query: query.toString() });
    const handler = handlers[url.pathname];
    let reply: Json = { errcode: 404, errmsg: 'no such API' };
    if (
      handler &&
      url.pathname !== '/cgi-bin/gettoken' &&
      url.searchParams.get('access_token') !== token
    )
      reply = { errcode: 40014, errmsg: 'invalid access_token' };
    else if (handler) reply = handler(url.searchParams);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  };

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    apiBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
