/** What the proxy hands every printer service it starts. */
package dev.pandaproxy.service;
