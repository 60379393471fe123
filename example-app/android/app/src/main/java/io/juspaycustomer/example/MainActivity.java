package io.juspaycustomer.example;

import com.getcapacitor.BridgeActivity;

public class MainActivity extends BridgeActivity {}
