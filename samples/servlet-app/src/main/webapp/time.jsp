<%@ page contentType="text/html;charset=UTF-8" import="java.time.Instant" %><!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Time</title></head>
<body>
<% String who = request.getParameter("who"); %>
<p id="time">time=<%= Instant.now() %></p>
<p id="greeting">jsp says hello to <%= who == null ? "you" : who.replace("<", "&lt;").replace(">", "&gt;") %></p>
<p id="el">el=${1 + 2}</p>
</body>
</html>
