package io.juspaycustomer.plugin

import io.juspaycustomer.plugin.support.PluginCallRunner
import io.juspaycustomer.plugin.support.PluginCalls
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory

/**
 * Every case of src-ts/contract/plugin-calls.json, the calls every platform answers alike, once
 * through the adapter and once through the plugin class and Capacitor's own PluginCall, with
 * the real core (JNA) and a real loopback server. The web and XCTest suites run the same file,
 * and the Robolectric project runs it again on Android's org.json (AndroidPluginCallsTest).
 */
class PluginCallsTest {
    private val calls = PluginCalls.load()
    private val runner = PluginCallRunner(calls)

    @Test
    fun `finds the cases`() {
        assertTrue(calls.cases.size >= 50, "only ${calls.cases.size} cases in src-ts/contract/plugin-calls.json")
    }

    @TestFactory
    fun `every case through the adapter`(): List<DynamicTest> = calls.cases.map { case ->
        DynamicTest.dynamicTest(case.name) { runner.throughAdapter(case) }
    }

    @TestFactory
    fun `every case through the plugin and PluginCall`(): List<DynamicTest> = calls.cases.map { case ->
        DynamicTest.dynamicTest(case.name) { runner.throughPlugin(case) }
    }
}
