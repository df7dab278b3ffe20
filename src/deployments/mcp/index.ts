/**
 * @module deployments/mcp
 * Keel as a Model Context Protocol server: deployments and RAG collections as tools, for the
 * caller's project (the HTTP route is server/routes/deployments/mcp.ts).
 */
export { createKeelMcpServer, type KeelMcpDeps, type McpCaller, toolName } from './keel-mcp-server.js';
