package mcp

// init adds the template and batch operations to restTools: each REST route with the MCP tool that does the
// same thing.
func init() {
	for op, tool := range map[restOperation]string{
		{"POST", "/api/v1/templates"}:                      "create_template",
		{"GET", "/api/v1/templates"}:                       "list_templates",
		{"GET", "/api/v1/templates/{templateId}"}:          "get_template",
		{"PUT", "/api/v1/templates/{templateId}"}:          "update_template",
		{"DELETE", "/api/v1/templates/{templateId}"}:       "delete_template",
		{"POST", "/api/v1/templates/{templateId}/render"}:  "render_template",
		{"POST", "/api/v1/templates/{templateId}/preview"}: "preview_template",
		{"POST", "/api/v1/batches"}:                        "create_batch",
		{"GET", "/api/v1/batches/{batchId}"}:               "get_batch",
	} {
		restTools[op] = tool
	}
}
