// Starts Swagger UI on /api/docs (a file of its own: the CSP allows no inline script).
(function () {
  var container = document.getElementById('swagger-ui-container');
  window.ui = SwaggerUIBundle({ url: container.getAttribute('data-spec-url'),
                                dom_id: '#swagger-ui-container' });
})();
