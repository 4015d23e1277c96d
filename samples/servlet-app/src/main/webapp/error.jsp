<%@ page isErrorPage="true" contentType="text/html;charset=UTF-8" %><%--
  The application's error page (web.xml <error-page>). The status stays the one of the error (500 for /fail).
--%><!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sample error page</title></head>
<body>
<h1>Sample error page</h1>
<p>status=<%= request.getAttribute("jakarta.servlet.error.status_code") %></p>
<p>uri=<%= String.valueOf(request.getAttribute("jakarta.servlet.error.request_uri")).replace("<", "&lt;") %></p>
<p>exception=<%= exception == null ? "none" : exception.getClass().getSimpleName() %></p>
</body>
</html>
