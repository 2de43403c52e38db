/** An in-process HTTP proxy in front of the real server that injects 503 SlowDown answers and connection resets. */
import {createServer, request as httpRequest, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

export type Fault = 'pass' | 'reset' | 'slowdown'

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
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
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
