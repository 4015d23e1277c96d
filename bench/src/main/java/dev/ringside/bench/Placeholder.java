package dev.ringside.bench;
class Placeholder {}
