/** An in-process HTTP proxy in front of the real server that injects 503 SlowDown answers, connection resets and wrong ETags. */
import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

/** `corrupt-etag`: the request reaches the server, but its answer's ETag is changed (a server that lies about what it stored). */
export type Fault = 'corrupt-etag' | 'pass' | 'reset' | 'slowdown'

export interface FaultProxy {
  close: () => Promise<void>
  endpoint: string
  /** Requests seen, as `METHOD path?query`. */
  seen: string[]
}

const SLOWDOWN = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'

/** `decide` is asked for every request (with how many requests came before) and picks its fate. */
export async function startFaultProxy(upstream: string, decide: (req: IncomingMessage, index: number) => Fault): Promise<FaultProxy> {
  const target = new URL(upstream)
  const seen: string[] = []
  const server: Server = createServer((req, res) => {
    const index = seen.length
    seen.push(`${req.method} ${req.url}`)
    const fault = decide(req, index)
    if (fault === 'reset') {
      // Take some of the body first, so the client is mid-upload when the connection dies.
      req.once('data', () => req.socket.destroy())
      req.once('end', () => req.socket.destroy())
      return
    }
    if (fault === 'slowdown') {
      req.resume()
      req.on('end', () => {
        res.writeHead(503, {'content-length': Buffer.byteLength(SLOWDOWN), 'content-type': 'application/xml'})
        res.end(SLOWDOWN)
      })
      return
    }
    const upstreamReq = httpRequest({
      headers: req.headers, host: target.hostname, method: req.method, path: req.url, port: target.port,
    }, (upstreamRes) => {
      const headers = {...upstreamRes.headers}
      if (fault === 'corrupt-etag' && typeof headers.etag === 'string') headers.etag = headers.etag.replace(/[0-9a-f]/, (d) => (d === '0' ? '1' : '0'))
      res.writeHead(upstreamRes.statusCode ?? 502, headers)
      upstreamRes.pipe(res)
    })
    upstreamReq.on('error', () => req.socket.destroy())
    req.pipe(upstreamReq)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
    endpoint: `http://127.0.0.1:${port}`,
    seen,
  }
}
